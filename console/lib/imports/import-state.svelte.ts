import type { ImportKind, ImportReport, TemplateFormat } from '$contract/imports.ts';
import { ImportReport as ImportReportSchema } from '$contract/imports.ts';
import { ApiError } from '$lib/api/api-error.ts';
import type { UploadProgress } from '$lib/api/client.ts';
import { api } from '$lib/api/endpoints.ts';

export type Uploader = (kind: ImportKind, file: Blob, dryRun: boolean, onProgress: UploadProgress) => Promise<ImportReport>;
export type TemplateFetcher = (kind: ImportKind, format: TemplateFormat) => Promise<{ name: string; blob: Blob }>;

export type ImportPhase = 'idle' | 'checking' | 'checked' | 'importing' | 'imported';

/**
 * The import page: a file is checked (dry run) as soon as it is chosen, and only a file without
 * problems can be imported. The upload's progress is kept while the bytes go out; after that the
 * server is reading rows, which the page says, since a large file takes a while.
 */
export class ImportState {
  kind = $state<ImportKind>('orders');
  file = $state.raw<File | null>(null);
  phase = $state<ImportPhase>('idle');
  sent = $state(0);
  total = $state(0);
  report = $state.raw<ImportReport | null>(null);
  error = $state<ApiError | null>(null);
  readonly #upload: Uploader;
  readonly #template: TemplateFetcher;
  /** Answers of a file replaced meanwhile are dropped. */
  #run = 0;

  constructor(upload: Uploader = api.importFile, template: TemplateFetcher = api.importTemplate) {
    this.#upload = upload;
    this.#template = template;
  }

  /** The template of the chosen kind, for the page to save; null when it could not be fetched (the error is shown). */
  async template(format: TemplateFormat): Promise<{ name: string; blob: Blob } | null> {
    try {
      return await this.#template(this.kind, format);
    } catch (error) {
      this.error = ApiError.from(error);
      return null;
    }
  }

  /** 0..1 of the bytes sent. */
  readonly progress = $derived(this.total > 0 ? Math.min(1, this.sent / this.total) : 0);
  /** All bytes are out; the server is checking (or writing) the rows. */
  readonly processing = $derived((this.phase === 'checking' || this.phase === 'importing') && this.total > 0 && this.sent >= this.total);
  readonly busy = $derived(this.phase === 'checking' || this.phase === 'importing');
  /** The checked file has no problems and something to do. */
  readonly canImport = $derived(this.phase === 'checked' && this.report !== null && this.report.errors.length === 0 && this.report.rows > 0);

  setKind(kind: ImportKind): void {
    if (this.busy || kind === this.kind) return;
    this.kind = kind;
    this.#reset(null);
  }

  async choose(file: File | null): Promise<void> {
    this.#reset(file);
    if (file) await this.#send(true);
  }

  async confirm(): Promise<void> {
    if (this.canImport) await this.#send(false);
  }

  #reset(file: File | null): void {
    this.#run++;
    this.file = file;
    this.phase = 'idle';
    this.report = null;
    this.error = null;
    this.sent = 0;
    this.total = file?.size ?? 0;
  }

  async #send(dryRun: boolean): Promise<void> {
    const file = this.file;
    if (!file) return;
    const run = ++this.#run;
    this.phase = dryRun ? 'checking' : 'importing';
    this.sent = 0;
    this.total = file.size;
    this.error = null;
    try {
      const report = await this.#upload(this.kind, file, dryRun, (sent, total) => {
        if (run !== this.#run) return;
        this.sent = sent;
        this.total = total;
      });
      if (run !== this.#run) return;
      this.report = report;
      this.phase = dryRun ? 'checked' : 'imported';
    } catch (error) {
      if (run !== this.#run) return;
      const failure = ApiError.from(error);
      // A real import the rows refused (changed since the check): its report says which, nothing was written.
      const refused = ImportReportSchema.safeParse(failure.details);
      if (refused.success) {
        this.report = refused.data;
        this.phase = 'checked';
      } else {
        this.error = failure;
        this.phase = 'idle';
      }
    }
  }
}
