/** The step outputs of a run. */
import * as core from '@actions/core';
import type { DeployReport } from '../types/report.js';

/** Sets `status`, `rolled-back`, `duration` and `images`. */
export function setOutputs(report: DeployReport): void {
  core.setOutput('status', report.status);
  core.setOutput('rolled-back', String(report.rolledBack));
  core.setOutput('duration', String(Math.round(report.durationMs / 1000)));
  const images = Object.fromEntries(
    report.hosts.map((host) => [
      host.host,
      Object.fromEntries(
        host.images.map((image) => [
          image.service,
          { image: image.image, id: image.id, digest: image.digest || null },
        ]),
      ),
    ]),
  );
  core.setOutput('images', JSON.stringify(images));
}
