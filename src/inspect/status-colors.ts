// One palette for every diagram format: the current lifecycle state and each task status.
export interface Swatch {
  fill: string;
  stroke: string;
}

export const CURRENT: Swatch = { fill: "#fde047", stroke: "#a16207" };

export const TASK_STATUS_COLORS: Record<string, Swatch> = {
  pending: { fill: "#f3f4f6", stroke: "#6b7280" },
  in_progress: { fill: "#bfdbfe", stroke: "#1d4ed8" },
  completed: { fill: "#bbf7d0", stroke: "#15803d" },
  failed: { fill: "#fecaca", stroke: "#b91c1c" },
  skipped: { fill: "#e9d5ff", stroke: "#7e22ce" },
  blocked: { fill: "#fed7aa", stroke: "#c2410c" },
  cancelled: { fill: "#d1d5db", stroke: "#374151" },
};

export const swatchFor = (status: string): Swatch => TASK_STATUS_COLORS[status] ?? TASK_STATUS_COLORS.pending;
