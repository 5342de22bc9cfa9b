/** Runs once when the server starts: resume work left in progress, start the scheduler. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getConfig } = await import('./lib/config');
  const config = getConfig();
  const { resumeOperations } = await import('./lib/power');
  try {
    const n = await resumeOperations();
    if (n > 0) console.log(`resumed ${n} operation(s) left in progress`);
  } catch (err) {
    console.error('could not resume operations', err);
  }
  const { seedDefaultSchedules, startScheduler } = await import('./lib/schedule');
  try {
    await seedDefaultSchedules(config.scheduler.defaultsEnabled);
    if (config.scheduler.enabled) startScheduler({ tickMs: config.scheduler.tickMs, graceMs: config.scheduler.graceMs });
  } catch (err) {
    console.error('could not start the scheduler', err);
  }
}
