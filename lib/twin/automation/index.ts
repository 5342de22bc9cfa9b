import { send, type TwinExtension } from '../server';
import { TwinError } from '../state';

/**
 * Azure Automation as infra/modules/automation deploys it: account
 * `aa-k8s-demo-power` in the common resource group with the runbook schedules
 * `nightly-power-down` (daily 22:00) and `morning-power-up` (weekdays 09:00),
 * Asia/Seoul, the architecture's nightly stop and morning start. Only the schedules list the dashboard reads. The admin
 * route `/_twin/automation/schedules` removes the account or toggles a schedule.
 */
interface AutomationSchedule {
  name: string;
  frequency: 'Day' | 'Week';
  weekDays?: string[];
  time: string;
  timeZone: string;
  isEnabled: boolean;
  description: string;
}

const ACCOUNT = 'aa-k8s-demo-power';

function seed(): AutomationSchedule[] {
  return [
    { name: 'nightly-power-down', frequency: 'Day', time: '22:00', timeZone: 'Asia/Seoul', isEnabled: true, description: 'Power the demo environment down (stop or sleep) at night' },
    { name: 'morning-power-up', frequency: 'Week', weekDays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], time: '09:00', timeZone: 'Asia/Seoul', isEnabled: true, description: 'Power the demo environment up in the morning' },
  ];
}

export function automationExtension(): TwinExtension {
  let present = true;
  let schedules = seed();
  return {
    name: 'automation',
    handle(ctx, req, res) {
      const m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.automation\/automationaccounts\/([^/]+)\/schedules$/i.exec(req.url.pathname);
      if (!m) return false;
      if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
      const [, rg, account] = m;
      if (!present || account.toLowerCase() !== ACCOUNT || rg.toLowerCase() !== ctx.state.names.commonResourceGroup.toLowerCase()) {
        throw new TwinError(404, 'ResourceNotFound', `The Resource 'Microsoft.Automation/automationAccounts/${account}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
      }
      const tomorrow = new Date(ctx.clock.now() + 86_400_000).toISOString().slice(0, 10);
      send(res, 200, {
        value: schedules.map((s) => ({
          id: `/subscriptions/${ctx.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Automation/automationAccounts/${account}/schedules/${s.name}`,
          name: s.name,
          type: 'Microsoft.Automation/AutomationAccounts/Schedules',
          properties: {
            description: s.description,
            startTime: `${tomorrow}T${s.time}:00+09:00`,
            expiryTime: '9999-12-31T23:59:59.9999999+00:00',
            isEnabled: s.isEnabled,
            frequency: s.frequency,
            interval: 1,
            timeZone: s.timeZone,
            ...(s.weekDays ? { advancedSchedule: { weekDays: s.weekDays } } : {}),
            creationTime: '2026-11-01T00:00:00+00:00',
            lastModifiedTime: '2026-11-01T00:00:00+00:00',
          },
        })),
      });
      return true;
    },
    admin(_ctx, req, res) {
      if (req.url.pathname !== '/_twin/automation/schedules' || req.method !== 'POST') return false;
      const body = JSON.parse(req.body || '{}') as { present?: boolean; name?: string; isEnabled?: boolean; time?: string };
      if (body.present !== undefined) present = body.present;
      const s = schedules.find((x) => x.name === body.name);
      if (s && body.isEnabled !== undefined) s.isEnabled = body.isEnabled;
      if (s && body.time) s.time = body.time;
      send(res, 200, { present, schedules });
      return true;
    },
    reset() {
      present = true;
      schedules = seed();
    },
  };
}
