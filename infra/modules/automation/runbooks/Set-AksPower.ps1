<#
  Nightly power-down / morning power-up of the AKS demo clusters (keeps the monthly budget).
  strategy = stop : Stop-AzAksCluster / Start-AzAksCluster (only without NAP; AKS refuses
                    to stop a cluster whose nodeProvisioningProfile.mode is Auto).
  strategy = sleep: documented levers only, reversible:
                    1. Karpenter NodePool limits -> cpu 0 (NAP adds no node), record the old limit
                    2. delete NodeClaims of the Spot NodePool (consolidation would do it, slower)
                    3. ingress user pool -> 0 nodes, system pool stays (AKS needs >= 1 system node)
                    wake = the reverse, then wait for nodes Ready.
  Kubernetes calls go through `az aks command invoke` semantics (Invoke-AzAksRunCommand) because
  the API servers are private.
#>
param(
  [Parameter(Mandatory)] [ValidateSet('down', 'up')] [string] $action,
  [Parameter(Mandatory)] [ValidateSet('stop', 'sleep')] [string] $strategy,
  [Parameter(Mandatory)] [string] $clusters
)
$ErrorActionPreference = 'Stop'
$aksApiVersion = '2025-10-01' # Microsoft.ContainerService, the version azurerm 5.2 manages clusters with
Connect-AzAccount -Identity | Out-Null
$targets = $clusters | ConvertFrom-Json -AsHashtable
$failed = @()

foreach ($key in $targets.Keys) {
  $c = $targets[$key]
  try {
    # Get-AzAksCluster's PSKubernetesCluster does not expose nodeProvisioningProfile, so it would
    # report every cluster as "not NAP" and the stop path would run on clusters AKS refuses to
    # stop. Read the property from ARM, at the API version azurerm 5.2 manages the clusters with.
    $get = Invoke-AzRestMethod -Method GET -Path "$($c.id)?api-version=$aksApiVersion"
    if ($get.StatusCode -ge 400) { throw "GET $($c.id): HTTP $($get.StatusCode) $($get.Content)" }
    $nap = (($get.Content | ConvertFrom-Json).properties.nodeProvisioningProfile.mode) -eq 'Auto'
    if ($strategy -eq 'stop') {
      if ($nap) { throw "$($c.name) uses node auto-provisioning; AKS refuses stop. Use strategy sleep." }
      if ($action -eq 'down') { Stop-AzAksCluster -ResourceGroupName $c.resource_group_name -Name $c.name -NoWait }
      else { Start-AzAksCluster -ResourceGroupName $c.resource_group_name -Name $c.name -NoWait }
      continue
    }
    if ($action -eq 'down') {
      if ($nap) {
        $cmd = "kubectl annotate nodepool spot-workers demo/awake-cpu-limit=`$(kubectl get nodepool spot-workers -o jsonpath='{.spec.limits.cpu}') --overwrite && " +
               "kubectl patch nodepool spot-workers --type merge -p '{`"spec`":{`"limits`":{`"cpu`":`"0`"}}}' && " +
               "kubectl delete nodeclaims -l karpenter.sh/nodepool=spot-workers --wait=false"
        Invoke-AzAksRunCommand -ResourceGroupName $c.resource_group_name -Name $c.name -Command $cmd -Force | Out-Null
      }
      $ingress = Get-AzAksNodePool -ResourceGroupName $c.resource_group_name -ClusterName $c.name | Where-Object Name -eq 'ingress'
      if ($ingress) { Update-AzAksNodePool -ResourceGroupName $c.resource_group_name -ClusterName $c.name -Name 'ingress' -NodeCount 0 | Out-Null }
    }
    else {
      $ingress = Get-AzAksNodePool -ResourceGroupName $c.resource_group_name -ClusterName $c.name | Where-Object Name -eq 'ingress'
      if ($ingress) { Update-AzAksNodePool -ResourceGroupName $c.resource_group_name -ClusterName $c.name -Name 'ingress' -NodeCount 3 | Out-Null }
      if ($nap) {
        $cmd = "limit=`$(kubectl get nodepool spot-workers -o jsonpath='{.metadata.annotations.demo/awake-cpu-limit}'); " +
               "kubectl patch nodepool spot-workers --type merge -p `"{\`"spec\`":{\`"limits\`":{\`"cpu\`":\`"`${limit:-10}\`"}}}`" && " +
               "kubectl wait --for=condition=Ready nodes --all --timeout=15m"
        Invoke-AzAksRunCommand -ResourceGroupName $c.resource_group_name -Name $c.name -Command $cmd -Force | Out-Null
      }
    }
  }
  catch {
    # One cluster's failure never stops the others from being powered down or up.
    Write-Error "$($c.name): $_" -ErrorAction Continue
    $failed += $c.name
  }
}
if ($failed.Count -gt 0) { throw "power $action failed for: $($failed -join ', ')" }
