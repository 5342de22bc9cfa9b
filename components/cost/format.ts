const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function money(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : usd.format(n);
}

export function perHour(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : `${usd.format(n)}/h`;
}

export function hours(n: number): string {
  return n >= 10 ? `${Math.round(n)} h` : `${n.toFixed(1)} h`;
}
