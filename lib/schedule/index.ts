/**
 * Scheduled stop/start (the nightly power-down of the architecture's cost plan). A run calls the same command as the buttons
 * (`powerEnvironment`), as the scheduler, and is recorded. Exactly once: a
 * run is claimed by inserting its (scheduleId, dueAt) row, which the database
 * keeps unique — across restarts and across instances sharing PostgreSQL.
 */
import 'server-only';
export { DEFAULT_SCHEDULES, scheduleInput, specOf, type ScheduleInput } from './schedules';
export { getAutomationSchedules, type AutomationState } from './automation';
export { automationConflicts, listAppSchedules, listSchedules } from './queries';
export { deleteSchedule, saveSchedule, seedDefaultSchedules, setScheduleEnabled, setSkipNext } from './commands';
export { startScheduler, tick, type Execute, type RunResult, type SchedulerHandle, type TickOptions, type TickOutcome } from './scheduler';
