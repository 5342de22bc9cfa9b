# hosting = "jump_vm": cloud-init installs a pinned artifact release (checksum checked), the jobs'
# tools (pinned, checksums checked) and a sandboxed systemd unit; the presenter reaches it through
# `az network bastion tunnel` (Bastion Standard). The VM must carry the dashboard's user-assigned
# identity (output identity_id), which the unit's settings name.
locals {
  jump_vm_cloud_init = var.hosting == "jump_vm" ? base64encode(templatefile("${path.module}/files/cloud-init.yaml.tftpl", {
    service_unit = file("${path.module}/files/aks-demo-dashboard.service")
    environment  = join("\n", [for k in sort(keys(local.app_settings)) : "${k}=${local.app_settings[k]}"])
    install_script = templatefile("${path.module}/files/install.sh.tftpl", {
      node_version      = local.node == null ? "" : local.node.version
      node_sha256       = local.node == null ? "" : local.node.sha256
      tofu_version      = local.tools.tofu.version
      tofu_sha256       = local.tools.tofu.sha256
      helm_version      = local.tools.helm.version
      helm_sha256       = local.tools.helm.sha256
      kubectl_version   = local.tools.kubectl.version
      kubectl_sha256    = local.tools.kubectl.sha256
      kubelogin_version = local.tools.kubelogin.version
      kubelogin_sha256  = local.tools.kubelogin.sha256
      az_version        = local.az_version
      artifact_url      = var.artifact_url
      artifact_sha256   = var.artifact_sha256
    })
  })) : ""
}
