# The Defender for Containers plan is subscription-wide; the sensor is declared on each
# cluster (microsoft_defender block).
resource "azurerm_security_center_subscription_pricing" "containers" {
  count         = var.defender_plan_enabled ? 1 : 0
  tier          = "Standard"
  resource_type = "Containers"
}
