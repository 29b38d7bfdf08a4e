/**
 * The new-alert chime: two short sine tones from a WebAudio oscillator (no audio file to download).
 * Browsers start audio only after a user gesture; on a TV that means one click or remote-control
 * press. `blocked` tells the board to show its one-time "click to enable sound" hint.
 */
export class Chime {
  blocked = $state(false);
  #context: AudioContext | null = null;

  /** Call once when the board has sound on; checks whether the browser lets it play. */
  prepare(): void {
    if (this.#context || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    this.#context = context;
    // A context may start suspended and be allowed a moment later (autoplay policy, TV kiosks):
    // follow its state instead of judging once.
    context.onstatechange = () => (this.blocked = context.state !== 'running');
    this.blocked = context.state !== 'running';
    context.resume().catch(() => {});
  }

  /** From the hint's click handler: a user gesture, so resume() is allowed. */
  async unlock(): Promise<void> {
    if (!this.#context) this.prepare();
    await this.#context?.resume();
    this.blocked = this.#context?.state !== 'running';
    if (!this.blocked) this.play(0.05);
  }

  play(volume = 0.25): void {
    const ctx = this.#context;
    if (!ctx || ctx.state !== 'running') return;
    const start = ctx.currentTime;
    for (const [i, frequency] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = frequency;
      const t0 = start + i * 0.22;
      gain.gain.setValueAtTime(0, t0);
      gain.gain.linearRampToValueAtTime(volume, t0 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.001, t0 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + 0.21);
    }
  }

  close(): void {
    void this.#context?.close();
    this.#context = null;
  }
}
