/** One colour per availability zone, the same on every chart. */
export const ZONE_COLORS: Record<string, string> = { '1': '#0f766e', '2': '#7c3aed', '3': '#ea580c' };
