variable "prefix" {
  type        = string
  description = "Name prefix."
}

variable "location" {
  type        = string
  description = "Azure region."
}

variable "resource_group_name" {
  type        = string
  description = "mgmt resource group."
}

variable "hosting" {
  type        = string
  description = "app_service or jump_vm."
  validation {
    condition     = contains(["app_service", "jump_vm"], var.hosting)
    error_message = "app_service or jump_vm."
  }
}

variable "subscription_id" {
  type        = string
  description = "Subscription the dashboard reads (cost, budgets)."
}

variable "tenant_id" {
  type        = string
  description = "Entra tenant for sign-in."
}

variable "appsvc_subnet_id" {
  type        = string
  description = "Delegated subnet in the mgmt VNet (reaches the private API servers)."
}

variable "jump_vm_principal_id" {
  type        = string
  description = "Unused since the dashboard has its own user-assigned identity (output identity_id, to attach to the Jump VM); kept so existing callers still validate."
  default     = ""
}

variable "cluster_ids" {
  type        = map(string)
  description = "AKS cluster IDs by key (mgmt, app1, app2)."
}

variable "node_resource_group_ids" {
  type        = map(string)
  description = "The clusters' node resource group IDs by key (mgmt, app1, app2): their VMs, for the Spot eviction."
}

variable "resource_group_ids" {
  type        = map(string)
  description = "Resource group IDs (common, mgmt, app1, app2)."
}

variable "backup_vault_id" {
  type        = string
  description = "Backup vault the backup page reads and 'back up now' uses."
}

variable "key_vault_name" {
  type        = string
  description = "The environment's Key Vault (infra/modules/keyvault, in the common resource group): the chain page reads the pushed gateway certificate's attributes there."
}

variable "grant_infrastructure_jobs" {
  type        = bool
  description = "Grant what tofu apply/destroy from the dashboard needs (Contributor and Role Based Access Control Administrator on the subscription, which amounts to owning it). false: those jobs fail with Azure's refusal; run tofu yourself."
  default     = true
}

variable "state_resource_group_name" {
  type        = string
  description = "Resource group of the remote state's storage account (infra/bootstrap output). Empty: the jobs have no remote state."
  default     = ""
}

variable "state_storage_account_name" {
  type        = string
  description = "Storage account of the remote state (infra/bootstrap output)."
  default     = ""
}

variable "state_storage_account_id" {
  type        = string
  description = "Resource id of that storage account: the identity gets Storage Blob Data Contributor on it."
  default     = ""
}

variable "artifact_zip" {
  type        = string
  description = "App Service: local path of the zip made by `npm run package` (zip deploy)."
  default     = null
}

variable "artifact_url" {
  type        = string
  description = "Jump VM: HTTPS URL of the .tar.gz made by `npm run package` (a release asset)."
  default     = ""
  validation {
    condition     = var.artifact_url == "" || startswith(var.artifact_url, "https://")
    error_message = "An https:// URL."
  }
}

variable "artifact_sha256" {
  type        = string
  description = "Jump VM: SHA-256 of that .tar.gz (printed by `npm run package`); the install refuses any other file."
  default     = ""
  validation {
    condition     = var.artifact_sha256 == "" || can(regex("^[0-9a-f]{64}$", var.artifact_sha256))
    error_message = "64 lower-case hex digits."
  }
}

variable "jump_vm_port" {
  type        = number
  description = "Port the dashboard listens on on the Jump VM (the Bastion tunnel's --resource-port)."
  default     = 3000
}

variable "artifact_manifest" {
  type        = string
  description = "Path of the manifest `npm run package` writes next to the archives (dist/<name>.json). It names the Node the artifact was built with (its native SQLite module works on that major only): App Service's stack and the Jump VM's Node follow it. Default: artifact_zip with .json for .zip."
  default     = null
}

variable "tool_versions" {
  type = object({
    tofu      = optional(string)
    helm      = optional(string)
    kubectl   = optional(string)
    kubelogin = optional(string)
    az        = optional(string)
  })
  description = "Jump VM: other releases of the jobs' tools than the pinned ones (main.tools.tf); a tool given here needs its SHA-256 in tool_sha256."
  default     = {}
}

variable "tool_sha256" {
  type        = map(string)
  description = "Jump VM: SHA-256 of the linux/amd64 download per tool (tofu, helm, kubectl, kubelogin), for a release given in tool_versions."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.tool_sha256 : contains(["tofu", "helm", "kubectl", "kubelogin"], k) && can(regex("^[0-9a-f]{64}$", v))])
    error_message = "Keys tofu, helm, kubectl, kubelogin; values 64 lower-case hex digits."
  }
}

variable "database" {
  type        = string
  description = "sqlite (a file under /home on App Service, the data directory on the Jump VM; one instance) or postgresql (App Service: Flexible Server, Burstable B1ms, private access; for more than one instance)."
  default     = "sqlite"
  validation {
    condition     = contains(["sqlite", "postgresql"], var.database)
    error_message = "sqlite or postgresql."
  }
}

variable "postgres_subnet_id" {
  type        = string
  description = "database = postgresql: a subnet of the hub network delegated to Microsoft.DBforPostgreSQL/flexibleServers."
  default     = ""
}

variable "postgres_vnet_id" {
  type        = string
  description = "database = postgresql: the network the private DNS zone is linked to (the one App Service is integrated with)."
  default     = ""
}

variable "app_service_sku" {
  type        = string
  description = "App Service plan SKU (B1 is enough for one presenter)."
  default     = "B1"
  validation {
    condition     = contains(["B1", "B2", "P0v3", "P1v3"], var.app_service_sku)
    error_message = "B1, B2, P0v3 or P1v3 (VNet integration needs Basic or higher)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = {}
}
