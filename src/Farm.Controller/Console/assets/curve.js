// A burn's speed against its position on the disc (MB/s over LBA), drawn on a canvas.

export const MaxPoints = 240;

// Keeps a drive's curve for its current burn: a new burn (job, copy, attempt) starts a new curve;
// a long burn keeps every other point once the curve is full, so it stays small and whole.
export class CurveHistory {
  constructor() {
    this.key = null;
    this.points = [];
  }

  // Returns whether the curve changed. An idle drive keeps its last burn's curve on show.
  add(drive) {
    if (!drive.job) return false;
    const key = `${drive.job}/${drive.copy}/${drive.attempt}`;
    let changed = false;
    if (key !== this.key) {
      this.key = key;
      this.points = [];
      changed = true;
    }

    if (typeof drive.lba !== 'number' || drive.lba < 0 || typeof drive.mbps !== 'number') return changed;
    const last = this.points[this.points.length - 1];
    if (last && drive.lba <= last[0]) return changed;
    this.points.push([drive.lba, drive.mbps]);
    if (this.points.length > MaxPoints) this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
    return true;
  }
}

// points: [[lba, mbps], ...]; totalBlocks: the x axis' end (the image's blocks), else the last LBA.
export function drawCurve(canvas, points, totalBlocks) {
  const context = canvas.getContext('2d');
  const width = canvas.width, height = canvas.height;
  context.clearRect(0, 0, width, height);
  if (!points || points.length === 0) return;
  const lastLba = points[points.length - 1][0];
  const xEnd = Math.max(1, totalBlocks > 0 ? totalBlocks : lastLba);
  let top = 0;
  for (const [, mbps] of points) top = Math.max(top, mbps);
  top = top > 0 ? top * 1.1 : 1;
  const x = lba => (Math.min(lba, xEnd) / xEnd) * (width - 1);
  const y = mbps => height - 1 - (Math.max(0, mbps) / top) * (height - 2);

  context.beginPath();
  context.moveTo(x(points[0][0]), height);
  for (const [lba, mbps] of points) context.lineTo(x(lba), y(mbps));
  context.lineTo(x(lastLba), height);
  context.closePath();
  context.fillStyle = 'rgba(31, 95, 168, 0.18)';
  context.fill();

  context.beginPath();
  points.forEach(([lba, mbps], i) => (i === 0 ? context.moveTo(x(lba), y(mbps)) : context.lineTo(x(lba), y(mbps))));
  context.strokeStyle = '#1f5fa8';
  context.lineWidth = 1.25;
  context.stroke();
}
