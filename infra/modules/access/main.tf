# Admins reach the private API servers only through Bastion → Jump VM.
resource "azurerm_public_ip" "bastion" {
  name                = "pip-bastion-${var.prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  allocation_method   = "Static"
  sku                 = "Standard"
  zones               = ["1", "2", "3"]
  tags                = var.tags
}

resource "azurerm_bastion_host" "this" {
  name                = "bastion-${var.prefix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = var.bastion_sku
  # Tunnels (`az network bastion tunnel`) and the native client need Standard.
  tunneling_enabled = var.bastion_sku == "Standard"
  ip_connect_enabled = var.bastion_sku == "Standard"
  ip_configuration {
    name                 = "bastion-ipconfig"
    subnet_id            = var.bastion_subnet_id
    public_ip_address_id = azurerm_public_ip.bastion.id
  }
  tags = var.tags
}

resource "azurerm_network_interface" "jump" {
  name                = "nic-vm-jumpbox"
  location            = var.location
  resource_group_name = var.resource_group_name
  ip_configuration {
    name                          = "internal"
    subnet_id                     = var.jump_subnet_id
    private_ip_address_allocation = "Dynamic"
    # no public IP: Bastion only
  }
  tags = var.tags
}

resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "vm-jumpbox"
  location                        = var.location
  resource_group_name             = var.resource_group_name
  size                            = var.jump_vm_size
  admin_username                  = var.admin_username
  disable_password_authentication = true
  network_interface_ids           = [azurerm_network_interface.jump.id]
  custom_data                     = var.custom_data == "" ? null : var.custom_data
  zone                            = "1"

  admin_ssh_key {
    username   = var.admin_username
    public_key = var.ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_ZRS"
  }

  source_image_reference {
    publisher = "Canonical"
    offer     = "ubuntu-24_04-lts"
    sku       = "server"
    version   = "latest"
  }

  identity {
    # The dashboard, when hosted here, signs in to Azure with its own user-assigned identity (AZURE_CLIENT_ID).
    type         = length(var.user_assigned_identity_ids) > 0 ? "SystemAssigned, UserAssigned" : "SystemAssigned"
    identity_ids = length(var.user_assigned_identity_ids) > 0 ? var.user_assigned_identity_ids : null
  }
  tags = var.tags
}
