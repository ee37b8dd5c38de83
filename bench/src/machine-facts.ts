import { cpus, loadavg, totalmem } from 'node:os';

/** Facts about the machine a run was measured on. */
export interface MachineFacts {
  node: string;
  platform: string;
  cpuModel: string;
  cores: number;
  totalMemoryGb: number;
  /** 1-minute load average when the suite started: far above `cores` means the timings are noisy. */
  loadAverageAtStart: number;
  /** ISO time the suite started. */
  date: string;
}

/** The facts of this machine now. */
export function machineFacts(start: Date): MachineFacts {
  const processors = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    totalMemoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    date: start.toISOString(),
  };
}
