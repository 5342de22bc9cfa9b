# A budget only notifies, 8–24 h late; acting (power down) is the guard's job.
resource "azurerm_monitor_action_group" "budget" {
  name                = "ag-${var.prefix}-budget"
  resource_group_name = var.resource_group_name
  short_name          = "budget"

  dynamic "email_receiver" {
    for_each = var.contact_emails
    content {
      name                    = "email-${email_receiver.key}"
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }

  dynamic "webhook_receiver" {
    for_each = var.guard_webhook_url == "" ? [] : [var.guard_webhook_url]
    content {
      name                    = "budget-guard"
      service_uri             = webhook_receiver.value
      use_common_alert_schema = true
    }
  }
  tags = var.tags
}

locals {
  # A monthly budget must start on the first of a month, and the Consumption API refuses a create
  # whose start lies in a month that has already passed (Budgets - Create Or Update,
  # timePeriod.startDate: a past start must fall within the current time-grain period).
  # The first of the current month at plan time; ignore_changes below keeps the created value, so
  # later plans show no diff.
  start_date = var.start_date != "" ? var.start_date : formatdate("YYYY-MM-01'T'00:00:00'Z'", plantimestamp())
}

resource "azurerm_consumption_budget_subscription" "monthly" {
  name            = "budget-${var.prefix}-monthly"
  subscription_id = "/subscriptions/${var.subscription_id}"
  amount          = var.amount
  time_grain      = "Monthly"

  time_period {
    start_date = local.start_date
  }

  notification {
    enabled        = true
    threshold      = 80
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Actual"
    contact_emails = var.contact_emails
    contact_groups = [azurerm_monitor_action_group.budget.id]
  }

  notification {
    enabled        = true
    threshold      = 100
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Actual"
    contact_emails = var.contact_emails
    contact_groups = [azurerm_monitor_action_group.budget.id]
  }

  notification {
    enabled        = true
    threshold      = 100
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Forecasted"
    contact_emails = var.contact_emails
    contact_groups = [azurerm_monitor_action_group.budget.id]
  }

  lifecycle {
    ignore_changes = [time_period]
  }
}
