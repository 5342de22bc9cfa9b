import 'server-only';
import { getAzureClients } from '../azure';
import { sharedReads } from '../cache/shared-read';
import { getConfig } from '../config';
import { AppError, toUserError, type UserError } from '../errors';
import { automationScheduleFrom, type AutomationSchedule } from '../domain/schedule';

/** The Azure Automation runbook schedules infra deploys, read through ARM to be shown next to the dashboard's. */
export type AutomationState =
  | { status: 'ok'; account: string; schedules: AutomationSchedule[]; fetchedAt?: number }
  | { status: 'absent'; account: string }
  | { status: 'failed'; account: string; error: UserError };

/** The runbook schedules of infra's Azure Automation account, if it exists (read through the shared cache). */
export async function getAutomationSchedules(): Promise<AutomationState> {
  const config = getConfig();
  const account = config.scheduler.automationAccount;
  const path = `/subscriptions/${config.subscriptionId}/resourceGroups/${config.commonResourceGroup}/providers/Microsoft.Automation/automationAccounts/${account}/schedules`;
  const r = await sharedReads().read(`automation:${account}`, 5 * 60_000, async () => {
    const res = await getAzureClients().arm.pathUnchecked(path).get({ queryParameters: { 'api-version': '2023-11-01' } });
    if (res.status === '404') return null;
    if (res.status !== '200') {
      const body = res.body as { error?: { code?: string; message?: string } } | undefined;
      throw new AppError('upstream', body?.error?.message ?? `Azure Automation answered ${res.status}`, body?.error?.code);
    }
    const value = (res.body as { value?: { name: string; properties: Parameters<typeof automationScheduleFrom>[1] }[] }).value ?? [];
    return value.map((v) => automationScheduleFrom(v.name, v.properties));
  });
  if (r.error && r.value === undefined) return { status: 'failed', account, error: toUserError(r.error) };
  if (r.value === null) return { status: 'absent', account };
  return { status: 'ok', account, schedules: r.value ?? [], fetchedAt: r.fetchedAt };
}
