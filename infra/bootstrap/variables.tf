variable "subscription_id" {
  type        = string
  description = "Subscription of the environment."
}

variable "location" {
  type        = string
  description = "Region of the state storage account."
  default     = "koreacentral"
}

variable "prefix" {
  type        = string
  description = "Name prefix (the environment's)."
  default     = "k8s-demo"
}

variable "state_key" {
  type        = string
  description = "Blob name of the environment's state."
  default     = "k8s-demo.tfstate"
}

variable "readers_and_writers" {
  type        = map(string)
  description = "Principal object ids (name => id) given Storage Blob Data Contributor on the state container, e.g. the people who run tofu by hand. The dashboard's identity gets its own from infra/modules/dashboard."
  default     = {}
}

variable "tags" {
  type        = map(string)
  description = "Tags."
  default     = { project = "k8s-demo", purpose = "opentofu-state" }
}
