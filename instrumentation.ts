/** Runs once when the server starts: resume following operations left in progress. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getConfig } = await import('./lib/config');
  getConfig();
  const { resumeOperations } = await import('./lib/power');
  try {
    const n = await resumeOperations();
    if (n > 0) console.log(`resumed ${n} operation(s) left in progress`);
  } catch (err) {
    console.error('could not resume operations', err);
  }
}
