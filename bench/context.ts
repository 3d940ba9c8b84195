import type { LoadGenerator, LoadResult } from './load/types.js';
import type { RunFiles } from './report/files.js';
import type { StageRow } from './report/stages.js';

/** One row of the table. */
export interface Figure {
  readonly phase: string;
  readonly figure: string;
  readonly value: number | undefined;
  readonly unit: string;
  /** e.g. ">= 60%"; absent for a figure shown for context. */
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

/** Per-second samples of one load run, for the chart. */
export interface Series {
  readonly name: string;
  readonly slices: readonly LoadResult[];
}

export interface Context {
  readonly gen: LoadGenerator;
  readonly quick: boolean;
  /** Temporary folder for databases and scripts; removed at the end. */
  readonly tmp: string;
  /** Where this run writes its results (ignored by git; see report/files.ts). */
  readonly files: RunFiles;
  readonly figures: Figure[];
  readonly series: Series[];
  /** The stage table (CPU per message by stage), filled by the end-to-end phase. */
  readonly stages: StageRow[];
  /** Anything else worth keeping in latest.json, by phase. */
  readonly details: Record<string, unknown>;
}

export const url = (port: number, path: 'sendsms' | 'querysms') => `http://127.0.0.1:${port}/api/sms/v1/${path}`;
