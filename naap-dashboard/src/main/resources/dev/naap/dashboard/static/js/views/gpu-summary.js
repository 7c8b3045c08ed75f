/*
 * How GPU tables read the whole-range rows the API merges (granularity=all): the verdict on 20+ FPS
 * and the note that explains it.
 */
import {h} from '../dom.js';
import {text} from '../format.js';

export const SUSTAINED_FPS = 20;
/* The verdict, from the share of FPS samples (each ~10 s of output) at 20+ FPS (docs/METRICS.md). */
export const SUSTAINED_SHARE = 0.95;
export const MOSTLY_SHARE = 0.5;

/** "yes" at 95 % of the time or more at 20+ FPS, "mostly" from half of it, "no" below; with the share. */
export function verdict(share) {
  if (share === null || share === undefined) return null;
  return share >= SUSTAINED_SHARE ? 'yes' : share >= MOSTLY_SHARE ? 'mostly' : 'no';
}

/** The verdict of a summary row as a badge beside the share it rests on. */
export function sustained(row) {
  const answer = verdict(row.fps_share_20plus);
  if (answer === null) return null;
  return h(
    'span',
    {class: 'sustained'},
    h('span', {class: `badge ${answer}`, dataset: {sustained: answer}}, answer),
    ' ',
    h('span', {class: 'share'}, text('fps_share_20plus', row.fps_share_20plus))
  );
}

/** The sortable column of the verdict: it sorts by the share. */
export const SUSTAINED_COLUMN = {
  key: 'fps_share_20plus',
  label: `Sustains ${SUSTAINED_FPS}+ FPS`,
  numeric: true,
  cell: sustained
};

export const NOTE =
  `“Sustains ${SUSTAINED_FPS}+ FPS”: the share of the time (of FPS samples, each about 10 s of output) ` +
  `at ${SUSTAINED_FPS} frames/s or more — yes from ${SUSTAINED_SHARE * 100} %, mostly from ${MOSTLY_SHARE * 100} %, no below. ` +
  `Every number is over the whole range, quantiles over all its samples ` +
  `(the API's granularity=all); the charts' CSV has the values bucket by bucket.`;
