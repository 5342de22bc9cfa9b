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
  // Jobs left running by a server that stopped are marked interrupted, their log kept. A job
  // whose heartbeat is still fresh may belong to a live instance: look again once it would be stale.
  const { jobsOptions, recoverInterruptedJobs } = await import('./lib/jobs');
  const recoverJobs = () =>
    recoverInterruptedJobs()
      .then((n) => n > 0 && console.log(`marked ${n} job(s) interrupted`))
      .catch((err: unknown) => console.error('could not recover interrupted jobs', err));
  await recoverJobs();
  setTimeout(() => void recoverJobs(), jobsOptions().staleMs + 1_000).unref();
  const { seedDefaultSchedules, startScheduler } = await import('./lib/schedule');
  try {
    await seedDefaultSchedules(config.scheduler.defaultsEnabled);
    if (config.scheduler.enabled) startScheduler({ tickMs: config.scheduler.tickMs, graceMs: config.scheduler.graceMs });
  } catch (err) {
    console.error('could not start the scheduler', err);
  }
}
