'use client';

import { useState } from 'react';
import { PowerButton, type ServerAction } from './power-button';

export interface PowerControlActions {
  powerDown: ServerAction<{ freeTier: boolean; removeBastion: boolean }>;
  powerUp: ServerAction<Record<string, never>>;
  tearDown: ServerAction<{ confirm: string }>;
  rebuild: ServerAction<Record<string, never>>;
}

/** The environment's one command, with its options. */
export function PowerControls({ actions, deniedReason, tearDownDeniedReason, environmentName, clusterNames }: { actions: PowerControlActions; deniedReason?: string; tearDownDeniedReason?: string; environmentName: string; clusterNames?: Record<string, string> }) {
  const [freeTier, setFreeTier] = useState(false);
  const [removeBastion, setRemoveBastion] = useState(false);
  const [confirm, setConfirm] = useState('');
  return (
    <div className="flex flex-col items-end gap-2 text-xs">
      <div className="flex gap-2">
        <PowerButton label="Power down" variant="danger" action={actions.powerDown} input={{ freeTier, removeBastion }} disabledReason={deniedReason} confirm="Power the environment down per the plan shown (stop where AKS allows it, sleep elsewhere)?" summary="environment" clusterNames={clusterNames} />
        <PowerButton label="Power up" action={actions.powerUp} input={{}} disabledReason={deniedReason} summary="environment" clusterNames={clusterNames} />
      </div>
      <label className="flex items-center gap-1">
        <input type="checkbox" checked={freeTier} onChange={(e) => setFreeTier(e.target.checked)} /> Free tier while asleep (no uptime SLA)
      </label>
      <label className="flex items-center gap-1">
        <input type="checkbox" checked={removeBastion} onChange={(e) => setRemoveBastion(e.target.checked)} /> Remove Bastion (recreated on power up, ≈ 2 min)
      </label>
      <details className="self-stretch">
        <summary className="cursor-pointer text-right">Tear down instead…</summary>
        <div className="mt-1 flex items-end gap-2">
          <label className="flex flex-col">
            Type {environmentName} to confirm
            <input aria-label="environment name" className="rounded border border-slate-300 px-1 py-0.5" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
          </label>
          <PowerButton label="Tear down (tofu destroy)" variant="danger" action={actions.tearDown} input={{ confirm }} disabledReason={tearDownDeniedReason ?? (confirm === environmentName ? undefined : `Type ${environmentName} to confirm.`)} />
        </div>
        <div className="mt-1 flex justify-end">
          <PowerButton label="Rebuild (plan → apply → add-ons)" action={actions.rebuild} input={{}} disabledReason={tearDownDeniedReason} confirm="Run tofu plan, tofu apply of that plan and the add-on install, one after the other (Jobs)?" />
        </div>
      </details>
    </div>
  );
}
