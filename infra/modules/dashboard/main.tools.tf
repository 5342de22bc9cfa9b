# The Node and the jobs' tools the Jump VM installs: each a pinned release with the SHA-256 of its
# linux/amd64 download, checked before anything is unpacked. Where each checksum was read (the
# same figure the vendor publishes next to the release, recorded by a third party that pins it):
#   node, tofu, helm, kubectl: cashapp/hermit-packages at f0517fd7532fc6adfd910cfba3ef2b4c59f662db,
#     node.hcl, opentofu.hcl, helm.hcl, kubectl.hcl (their sha256sums tables, keyed by the URL below)
#   kubelogin: Azure/homebrew-kubelogin (Microsoft's own tap) at 125d83614b4407e99f4e62556b282332b351299b,
#     Formula/kubelogin.rb, the linux intel sha256 of release 0.2.13
#   az: no per-file checksum is published; apt checks the package against the SHA-256 in the
#     repository's signed index, and install.sh pins the signing key's fingerprint.
# To move a tool to another release, give tool_versions and tool_sha256 (the vendor's checksum
# file for that release, e.g. tofu_<v>_SHA256SUMS, helm-v<v>-linux-amd64.tar.gz.sha256sum).
locals {
  # Node by major: the one the artifact was packaged with (artifact.json's nodeMajor). These are
  # the majors App Service's Linux stacks offer (22-lts, 24-lts); Node 20 reached end of life in
  # April 2026 and is not offered.
  node_pins = {
    "22" = { version = "22.22.2", sha256 = "978978a635eef872fa68beae09f0aad0bbbae6757e444da80b570964a97e62a3" }
    "24" = { version = "24.15.0", sha256 = "44836872d9aec49f1e6b52a9a922872db9a2b02d235a616a5681b6a85fec8d89" }
  }
  tool_pins = {
    tofu      = { version = "1.11.7", sha256 = "2ae4434e08da9a17372c11509d11b07f1cb3730dea0bf7ff658bdb4b83b1cbab" }
    helm      = { version = "3.19.1", sha256 = "966bed9b1e0dda11268f59bd7268c3cd3e308b37b070546e1d78a02526ff63f2" }
    kubectl   = { version = "1.34.5", sha256 = "6a17dd8387783b3144a65535e38d02c351027e9718ea34a6c360476cb26d28bb" }
    kubelogin = { version = "0.2.13", sha256 = "21b7cfa009b3b4044663a0f9a9ec033deddd668ca4502348f763bd93c51fb806" }
  }
  az_version = coalesce(var.tool_versions.az, "2.77.0")

  # A release given in tool_versions is checked against tool_sha256 only; the pin's checksum
  # belongs to the pinned release.
  tools = {
    for t, pin in local.tool_pins : t => {
      version = coalesce(lookup(var.tool_versions, t, null), pin.version)
      sha256  = coalesce(lookup(var.tool_versions, t, null), pin.version) == pin.version ? lookup(var.tool_sha256, t, pin.sha256) : lookup(var.tool_sha256, t, "")
    }
  }

  # The artifact's manifest (npm run package): which Node it was built with.
  manifest_file = var.artifact_manifest != null ? var.artifact_manifest : (var.artifact_zip != null ? replace(var.artifact_zip, ".zip", ".json") : null)
  artifact      = local.manifest_file == null ? null : jsondecode(file(local.manifest_file))
  # Without an artifact nothing native is deployed yet: the newest LTS the hosts offer.
  node_major = local.artifact == null ? "24" : local.artifact.nodeMajor
  node       = lookup(local.node_pins, local.node_major, null)
}
