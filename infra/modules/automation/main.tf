# The nightly power-down path. AKS refuses to stop clusters with node auto-provisioning, so with
# worker_provisioning = "nap" the runbook sleeps them instead (see runbooks/Set-AksPower.ps1).
resource "azurerm_automation_account" "this" {
  name                = "aa-${var.prefix}-power"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku_name            = "Basic"
  identity {
    type = "SystemAssigned"
  }
  tags = var.tags
}

resource "azurerm_automation_runbook" "power" {
  name                    = "Set-AksPower"
  location                = var.location
  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  runbook_type            = "PowerShell72"
  log_progress            = true
  log_verbose             = false
  description             = "Stop/start or sleep/wake the AKS clusters."
  content                 = file("${path.module}/runbooks/Set-AksPower.ps1")
  tags                    = var.tags
}

locals {
  # Schedules need a start in the future; the time of day is what matters.
  tomorrow = formatdate("YYYY-MM-DD", timeadd(plantimestamp(), "24h"))
  offsets  = { "Asia/Seoul" = "+09:00", "Etc/UTC" = "+00:00" } # variables.tf admits exactly these
  offset   = local.offsets[var.time_zone]
}

resource "azurerm_automation_schedule" "stop" {
  name                    = "nightly-power-down"
  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  frequency               = "Day"
  interval                = 1
  timezone                = var.time_zone
  start_time              = "${local.tomorrow}T${var.stop_at}:00${local.offset}"
  lifecycle {
    ignore_changes = [start_time]
  }
}

resource "azurerm_automation_schedule" "start" {
  name                    = "morning-power-up"
  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  frequency               = "Week"
  interval                = 1
  week_days               = var.week_days
  timezone                = var.time_zone
  start_time              = "${local.tomorrow}T${var.start_at}:00${local.offset}"
  lifecycle {
    ignore_changes = [start_time]
  }
}

resource "azurerm_automation_job_schedule" "stop" {
  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  schedule_name           = azurerm_automation_schedule.stop.name
  runbook_name            = azurerm_automation_runbook.power.name
  parameters = {
    action   = "down"
    strategy = var.power_strategy
    clusters = jsonencode(var.clusters)
  }
}

resource "azurerm_automation_job_schedule" "start" {
  resource_group_name     = var.resource_group_name
  automation_account_name = azurerm_automation_account.this.name
  schedule_name           = azurerm_automation_schedule.start.name
  runbook_name            = azurerm_automation_runbook.power.name
  parameters = {
    action   = "up"
    strategy = var.power_strategy
    clusters = jsonencode(var.clusters)
  }
}

# Least roles: manage the clusters and their pools; `az aks command invoke` for the sleep path.
resource "azurerm_role_assignment" "aks_contributor" {
  for_each             = var.clusters
  scope                = each.value.id
  role_definition_name = "Azure Kubernetes Service Contributor Role"
  principal_id         = azurerm_automation_account.this.identity[0].principal_id
}

resource "azurerm_role_assignment" "aks_rbac_admin" {
  for_each             = var.power_strategy == "sleep" ? var.clusters : {}
  scope                = each.value.id
  role_definition_name = "Azure Kubernetes Service RBAC Cluster Admin"
  principal_id         = azurerm_automation_account.this.identity[0].principal_id
}
