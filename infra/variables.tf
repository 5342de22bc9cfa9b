variable "subscription_id" {
  type        = string
  description = "Azure subscription that holds the environment."
  validation {
    condition     = can(regex("^[0-9a-fA-F-]{36}$", var.subscription_id))
    error_message = "subscription_id must be a GUID."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "AKS Kubernetes minor version (1.34 leaves support in Nov 2026; 1.35+ is current)."
  default     = "1.35"
  validation {
    condition     = can(regex("^1\\.(3[5-9]|[4-9][0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be a supported minor, 1.35 or newer."
  }
}

variable "istio_revision" {
  type        = string
  description = "AKS Istio add-on revision (asm-1-28 is past end of life; asm-1-30+ uses CNI chaining, which Pod Security baseline admits)."
  default     = "asm-1-30"
  validation {
    condition     = can(regex("^asm-1-(3[0-9]|[4-9][0-9])$", var.istio_revision))
    error_message = "istio_revision must be asm-1-30 or newer."
  }
}

variable "worker_provisioning" {
  type        = string
  description = "How Spot workers are provisioned: nap = node auto-provisioning (Karpenter; clusters cannot be stopped) or autoscaler = a Spot user pool with the cluster autoscaler, min 0 (full AKS stop works)."
  default     = "nap"
  validation {
    condition     = contains(["nap", "autoscaler"], var.worker_provisioning)
    error_message = "worker_provisioning must be nap or autoscaler."
  }
}

variable "worker_max_count" {
  type        = number
  description = "Upper bound of Spot workers per cluster (autoscaler max_count; NAP NodePool limits in manifests/karpenter)."
  default     = 5
  validation {
    condition     = var.worker_max_count >= 1 && var.worker_max_count <= 10
    error_message = "worker_max_count must be 1..10 (the budget assumes few workers)."
  }
}

variable "acr_name" {
  type        = string
  description = "Globally unique ACR name (becomes <name>.azurecr.io)."
  validation {
    condition     = can(regex("^[a-zA-Z0-9]{5,50}$", var.acr_name))
    error_message = "acr_name must be 5-50 alphanumeric characters."
  }
}

variable "key_vault_name" {
  type        = string
  description = "Globally unique Key Vault name."
  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$", var.key_vault_name))
    error_message = "key_vault_name must be 3-24 characters: letters, digits, hyphens; start with a letter."
  }
}

variable "dns_zone_name" {
  type        = string
  description = "Public Azure DNS zone for cert-manager DNS-01."
  default     = "example.com"
  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.dns_zone_name))
    error_message = "dns_zone_name must be a DNS name."
  }
}

variable "budget_contact_emails" {
  type        = list(string)
  description = "Who the $250 budget notifies."
  validation {
    condition     = length(var.budget_contact_emails) > 0 && alltrue([for e in var.budget_contact_emails : can(regex("^[^@ ]+@[^@ ]+\\.[^@ ]+$", e))])
    error_message = "budget_contact_emails needs at least one valid address."
  }
}

variable "budget_guard_webhook_url" {
  type        = string
  description = "Optional HTTPS endpoint of the dashboard's budget guard, called by the budget action group."
  default     = ""
  validation {
    condition     = var.budget_guard_webhook_url == "" || startswith(var.budget_guard_webhook_url, "https://")
    error_message = "budget_guard_webhook_url must be empty or https://."
  }
}

variable "bastion_sku" {
  type        = string
  description = "Bastion SKU: Basic (browser SSH only) or Standard for native client and tunnels."
  default     = "Standard"
  validation {
    condition     = contains(["Basic", "Standard"], var.bastion_sku)
    error_message = "bastion_sku must be Basic or Standard."
  }
}

variable "jump_vm_admin_username" {
  type        = string
  description = "Admin user of the Jump VM."
  default     = "azureuser"
  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.jump_vm_admin_username)) && !contains(["admin", "administrator", "root", "guest", "user", "test", "sys", "owner", "support", "backup", "console", "server", "sql", "adm"], var.jump_vm_admin_username)
    error_message = "jump_vm_admin_username must be a Linux user name (lower case, up to 32 characters) that Azure does not reserve (admin, root, user, test, …)."
  }
}

variable "jump_vm_ssh_public_key" {
  type        = string
  description = "SSH public key for the Jump VM (SSH key, no password)."
  validation {
    condition     = can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) ", var.jump_vm_ssh_public_key))
    error_message = "jump_vm_ssh_public_key must be an OpenSSH public key."
  }
}

variable "dashboard_hosting" {
  type        = string
  description = "Where this product's dashboard runs: app_service (Linux, VNet-integrated) or jump_vm (systemd unit, reached through a Bastion Standard tunnel)."
  default     = "app_service"
  validation {
    condition     = contains(["app_service", "jump_vm"], var.dashboard_hosting)
    error_message = "dashboard_hosting must be app_service or jump_vm."
  }
  validation {
    condition     = var.dashboard_hosting != "jump_vm" || var.bastion_sku == "Standard"
    error_message = "dashboard_hosting = jump_vm needs bastion_sku = Standard for the tunnel."
  }
}

variable "create_network_watcher" {
  type        = bool
  description = "Create the region's Network Watcher. Leave false unless the subscription opted out of Azure creating NetworkWatcher_<region> itself (Azure allows one per region)."
  default     = false
}

variable "managed_grafana_enabled" {
  type        = bool
  description = "Create Azure Managed Grafana (Standard, v12; billed, no free tier since Essential's removal). Off: use the portal's free Grafana dashboards."
  default     = false
}

variable "acns_observability_enabled" {
  type        = bool
  description = "Advanced Container Networking Services observability (Hubble flows/metrics; paid)."
  default     = false
}

variable "automation_power_enabled" {
  type        = bool
  description = "Nightly power-down/up runbook in Azure Automation. Off when the dashboard's schedule drives power instead."
  default     = true
}

variable "tags" {
  type        = map(string)
  description = "Extra tags on every resource."
  default     = {}
}

variable "dashboard_artifact_zip" {
  type        = string
  description = "App Service hosting: absolute path of the zip `npm run package` wrote (zip deploy). Null: App Service gets no code."
  default     = null
}

variable "dashboard_artifact_manifest" {
  type        = string
  description = "Absolute path of the manifest `npm run package` wrote next to the archives (dist/<name>.json): the hosts run the Node it names. Null: derived from dashboard_artifact_zip (App Service); required with dashboard_artifact_url (Jump VM)."
  default     = null
}

variable "dashboard_artifact_url" {
  type        = string
  description = "Jump VM hosting: HTTPS URL of the .tar.gz `npm run package` wrote (for example a release asset)."
  default     = ""
  validation {
    condition     = var.dashboard_artifact_url == "" || startswith(var.dashboard_artifact_url, "https://")
    error_message = "dashboard_artifact_url must be an https:// URL."
  }
}

variable "dashboard_artifact_sha256" {
  type        = string
  description = "Jump VM hosting: SHA-256 of that .tar.gz (printed by `npm run package`); cloud-init refuses any other file."
  default     = ""
  validation {
    condition     = var.dashboard_artifact_sha256 == "" || can(regex("^[0-9a-f]{64}$", var.dashboard_artifact_sha256))
    error_message = "dashboard_artifact_sha256 must be 64 lower-case hex digits."
  }
}

variable "state_resource_group_name" {
  type        = string
  description = "Resource group of the remote state's storage account (infra/bootstrap's output). Empty: the dashboard's jobs have no remote state."
  default     = ""
}

variable "state_storage_account_name" {
  type        = string
  description = "Storage account of the remote state (infra/bootstrap's output)."
  default     = ""
  validation {
    condition     = var.state_storage_account_name == "" || can(regex("^[a-z0-9]{3,24}$", var.state_storage_account_name))
    error_message = "state_storage_account_name must be 3 to 24 lower-case letters and digits."
  }
}

variable "state_storage_account_id" {
  type        = string
  description = "Resource id of that storage account: the dashboard's identity gets Storage Blob Data Contributor on it."
  default     = ""
}
