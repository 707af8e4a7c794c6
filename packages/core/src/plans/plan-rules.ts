import { ValidationError } from '../shared/errors.js';
import { assertWellFormedFields } from '../shared/well-formed-text.js';
import type { ChartInput } from './types.js';

export const MAX_PLAN_TEXT_LENGTH = 4000;
export const DEFAULT_MAX_CHARTS = 10;

/** Whitespace and invisible format characters (zero-width space and joiner, byte-order mark...). */
const BLANK = /^[\s\p{Cf}]*$/u;

/** Trims plan text and checks it is non-empty (not only whitespace or invisible characters) and within the limit. */
export function normalizePlanText(input: string, maxLength = MAX_PLAN_TEXT_LENGTH): string {
  const text = input.trim();
  if (BLANK.test(text))
    throw new ValidationError('Plan text is empty. Write the plan after the coach.', 'text');
  if (text.length > maxLength) {
    throw new ValidationError(
      `Plan text is ${text.length} characters; the limit is ${maxLength}. Shorten it or split the details into a chart.`,
      'text',
      { length: text.length, max: maxLength },
    );
  }
  return text;
}

const IMAGE_CONTENT_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/jpg',
  'image/gif',
  'image/webp',
  'image/bmp',
]);
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp']);

/** An image by content type, or by file extension when the content type is missing. */
export function isImageChart(chart: Pick<ChartInput, 'filename' | 'contentType'>): boolean {
  const contentType = chart.contentType?.split(';')[0]?.trim().toLowerCase();
  if (contentType) return IMAGE_CONTENT_TYPES.has(contentType);
  const extension = chart.filename.split('.').pop()?.toLowerCase() ?? '';
  return chart.filename.includes('.') && IMAGE_EXTENSIONS.has(extension);
}

export interface IgnoredAttachment {
  readonly filename: string;
  readonly reason: string;
}

/** Keeps the image attachments, lists the others as ignored, and refuses more images than allowed. */
export function selectCharts(
  attachments: readonly ChartInput[],
  maxCharts = DEFAULT_MAX_CHARTS,
): { charts: ChartInput[]; ignored: IgnoredAttachment[] } {
  const charts: ChartInput[] = [];
  const ignored: IgnoredAttachment[] = [];
  for (const attachment of attachments) {
    if (isImageChart(attachment)) charts.push(attachment);
    else
      ignored.push({
        filename: attachment.filename,
        reason: 'not an image (png, jpg, gif, webp or bmp)',
      });
  }
  if (charts.length > maxCharts) {
    throw new ValidationError(`Too many charts: ${charts.length}; at most ${maxCharts} per plan.`, 'charts', {
      count: charts.length,
      max: maxCharts,
    });
  }
  return { charts, ignored };
}

/** Refuses any text of a plan change that is not well-formed (plan, names, chart fields), naming the field. */
export function assertWellFormedPlanInput(
  actor: { readonly name: string },
  text: string,
  charts: readonly ChartInput[] | undefined,
  more: Readonly<Record<string, string | null | undefined>>,
): void {
  assertWellFormedFields({ text, 'author.name': actor.name, ...more });
  for (const [index, chart] of (charts ?? []).entries()) {
    assertWellFormedFields({
      [`charts[${index}].url`]: chart.url,
      [`charts[${index}].filename`]: chart.filename,
      [`charts[${index}].content_type`]: chart.contentType,
    });
    assertWebUrl(chart.url, `charts[${index}].url`);
  }
}

/**
 * A chart link is served as is to every reader (TradingAgents, the dashboard), so it must be an http(s) URL:
 * a `javascript:` or `data:` link would run or smuggle content wherever a reader follows it. Nor may it carry
 * a user name or password: `https://cdn.discordapp.com@10.0.0.5/x.png` reads as Discord's CDN and goes to
 * 10.0.0.5.
 */
function assertWebUrl(url: string, field: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:') {
    throw new ValidationError(`${field} must be an http:// or https:// URL.`, field);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ValidationError(`${field} must not carry a user name or password (user@host).`, field);
  }
}
