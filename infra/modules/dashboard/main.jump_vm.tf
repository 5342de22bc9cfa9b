# dashboard_hosting = "jump_vm": cloud-init installs Node 22 and a systemd unit on the Jump VM;
# the presenter reaches it through `az network bastion tunnel` (Bastion Standard, E14).
locals {
  jump_vm_cloud_init = var.hosting == "jump_vm" ? base64encode(templatefile("${path.module}/files/cloud-init.yaml.tftpl", {
    service_unit    = file("${path.module}/files/aks-demo-dashboard.service")
    subscription_id = var.subscription_id
    tenant_id       = var.tenant_id
    client_id       = azuread_application.dashboard.client_id
  })) : ""
}
