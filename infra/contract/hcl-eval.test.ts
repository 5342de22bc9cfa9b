import { describe, expect, it } from 'vitest';
import { evalTemplate, scopeOf, UNKNOWN } from './hcl-eval';

const scope = scopeOf({
  var: { clusters: { mgmt: { ingress: true }, app2: { ingress: false } }, mode: 'nap', zones: ['1', '2', '3'] },
  local: { prefix: 'k8s-demo' },
});

describe('hcl-eval', () => {
  it.each<[string, unknown]>([
    ['${var.mode == "nap" ? "Auto" : "Manual"}', 'Auto'],
    ['rg-${local.prefix}-${var.mode}', 'rg-k8s-demo-nap'],
    ['${{ for k, v in var.clusters : k => v if v.ingress }}', { mgmt: { ingress: true } }],
    ['${[for z in var.zones : "koreacentral-${z}"]}', ['koreacentral-1', 'koreacentral-2', 'koreacentral-3']],
    ['${length(var.zones) == 3 && contains(var.zones, "2")}', true],
    ['${merge([for a in ["x", "y"] : { for b in ["x", "y"] : "${a}-${b}" => 1 if a != b }]...)}', { 'x-y': 1, 'y-x': 1 }],
    ['${!(1 + 2 * 3 > 6)}', false],
    ['${azurerm_kubernetes_cluster.this["mgmt"].id}', UNKNOWN],
    ['${file("x")}', UNKNOWN],
    ['aks-${data.azurerm_client_config.current.tenant_id}', UNKNOWN],
  ])('%s', (src, want) => {
    expect(evalTemplate(src, scope)).toEqual(want);
  });
});
