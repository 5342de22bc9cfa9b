# One VNet per cluster.
resource "azurerm_virtual_network" "this" {
  for_each            = var.vnets
  name                = "vnet-${each.key}"
  location            = var.location
  resource_group_name = var.resource_group_name
  address_space       = [each.value.cidr]
  tags                = var.tags
}

resource "azurerm_subnet" "nodes" {
  for_each             = var.vnets
  name                 = "snet-aks-nodes"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this[each.key].name
  address_prefixes     = [each.value.nodes_cidr]
}

resource "azurerm_network_security_group" "this" {
  for_each            = var.vnets
  name                = "nsg-${each.key}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = var.tags
}

resource "azurerm_subnet_network_security_group_association" "nodes" {
  for_each                  = var.vnets
  subnet_id                 = azurerm_subnet.nodes[each.key].id
  network_security_group_id = azurerm_network_security_group.this[each.key].id
}

# The name is fixed by Azure.
resource "azurerm_subnet" "bastion" {
  name                 = "AzureBastionSubnet"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this["mgmt"].name
  address_prefixes     = [var.bastion_subnet_cidr]
}

resource "azurerm_subnet" "jump" {
  name                 = "snet-jump"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this["mgmt"].name
  address_prefixes     = [var.jump_subnet_cidr]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this["mgmt"].name
  address_prefixes     = [var.endpoints_subnet_cidr]
}

# The dashboard on App Service reaches the private API servers through this subnet.
resource "azurerm_subnet" "appsvc" {
  name                 = "snet-appsvc"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this["mgmt"].name
  address_prefixes     = [var.appsvc_subnet_cidr]
  delegation {
    name = "appsvc"
    service_delegation {
      name    = "Microsoft.Web/serverFarms"
      actions = ["Microsoft.Network/virtualNetworks/subnets/action"]
    }
  }
}

# The dashboard's PostgreSQL Flexible Server (private access: VNet injection into this delegated
# subnet of the hub, reached from the App Service integration subnet in the same VNet).
# https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private
resource "azurerm_subnet" "postgres" {
  count                = var.postgres_subnet_cidr == "" ? 0 : 1
  name                 = "snet-postgres"
  resource_group_name  = var.resource_group_name
  virtual_network_name = azurerm_virtual_network.this["mgmt"].name
  address_prefixes     = [var.postgres_subnet_cidr]
  delegation {
    name = "postgres"
    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

# The Istio add-on's external ingress gateways sit behind public load balancers that AKS creates;
# a custom NSG on the node subnet is evaluated as well as the one AKS manages, and its default
# DenyAllInBound drops Internet traffic ("Network security groups – default security rules", and
# AKS "Use a public Standard Load Balancer": bring-your-own subnet NSGs must allow the service
# ports). Only the VNets whose cluster runs a gateway open 80/443, and only those ports.
resource "azurerm_network_security_rule" "gateway_https" {
  for_each                    = toset(var.ingress_vnets)
  name                        = "allow-internet-istio-gateway"
  network_security_group_name = azurerm_network_security_group.this[each.key].name
  resource_group_name         = var.resource_group_name
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_address_prefix       = "Internet"
  source_port_range           = "*"
  destination_address_prefix  = "*" # the load balancer's public IP is made by AKS, unknown here
  destination_port_ranges     = ["80", "443"]
}
