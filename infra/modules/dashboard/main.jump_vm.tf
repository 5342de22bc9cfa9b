# hosting = "jump_vm": cloud-init installs a pinned artifact release (checksum checked), the jobs'
# tools (pinned, checksums checked) and a sandboxed systemd unit; the presenter reaches it through
# `az network bastion tunnel` (Bastion Standard). The VM must carry the dashboard's user-assigned
# identity (output identity_id), which the unit's settings name.
locals {
  jump_vm_cloud_init = var.hosting == "jump_vm" ? base64encode(templatefile("${path.module}/files/cloud-init.yaml.tftpl", {
    service_unit = file("${path.module}/files/aks-demo-dashboard.service")
    environment  = join("\n", [for k in sort(keys(local.app_settings)) : "${k}=${local.app_settings[k]}"])
    install_script = templatefile("${path.module}/files/install.sh.tftpl", {
      node_version      = var.tool_versions.node
      tofu_version      = var.tool_versions.tofu
      helm_version      = var.tool_versions.helm
      kubectl_version   = var.tool_versions.kubectl
      kubelogin_version = var.tool_versions.kubelogin
      az_version        = var.tool_versions.az
      sha256            = var.tool_sha256
      artifact_url      = var.artifact_url
      artifact_sha256   = var.artifact_sha256
    })
  })) : ""
}
