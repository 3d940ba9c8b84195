import { useEffect, useState } from 'preact/hooks';
import { placeholderNames } from '../../../src/domain/template.js';
import { api, errorText, type Client, type Preview } from '../api.js';
import { useCatalog } from '../catalog.js';
import { Alert, Empty, PageHeader } from '../components/bits.js';

const PREVIEW_DELAY_MS = 250;

export function TemplatesPage() {
  const { clients, templates, error, busy, reload, change } = useCatalog();

  const remove = (templetId: string) => {
    if (!confirm(`Remove template ${templetId}? Sends naming it are refused from now on.`)) return;
    void change(() => api.removeTemplate(templetId));
  };

  return (
    <>
      <PageHeader title="Templates" />
      <TemplateEditor clients={clients ?? []} onAdded={reload} />
      {error !== null && <Alert>{error}</Alert>}
      <div class="card flush">
        {templates === null ? (
          <Empty>Loading…</Empty>
        ) : templates.length === 0 ? (
          <Empty>No templates yet.</Empty>
        ) : (
          <ul class="rows" aria-label="Templates">
            {templates.map((template) => (
              <li class="row" key={template.templet_id} aria-label={template.templet_id}>
                <div class="row-main">
                  <div class="row-title">
                    <span class="mono strong">{template.templet_id}</span>
                    <span class="badge off">{template.client_id === null ? 'any client' : template.client_id}</span>
                  </div>
                  <p class="template-text">{template.text}</p>
                </div>
                <div class="row-actions">
                  <button type="button" class="button small danger" disabled={busy} onClick={() => remove(template.templet_id)}>
                    Remove
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  );
}

/** The add form; its preview asks the gateway (POST /templates/preview) as the text changes. */
function TemplateEditor({ clients, onAdded }: { clients: Client[]; onAdded: () => Promise<void> }) {
  const [templetId, setTempletId] = useState('');
  const [clientId, setClientId] = useState('');
  const [text, setText] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const names = placeholderNames(text);
  // Only the values given: a placeholder without one gets the gateway's own answer (what a send would get).
  const contents = Object.fromEntries(names.flatMap((name) => (values[name] ?? '') === '' ? [] : [[name, values[name]!]]));

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setAdded(null);
    try {
      const template = await api.addTemplate({ templet_id: templetId.trim(), text, client_id: clientId === '' ? null : clientId });
      setAdded(template.templet_id);
      setTempletId('');
      setText('');
      setValues({});
      await onAdded();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  return (
    <form class="card editor" aria-label="Add a template" onSubmit={(event) => void submit(event)}>
      <h2>Add a template</h2>
      <div class="editor-grid">
        <div class="editor-inputs">
          <div class="field-row">
            <div class="field grow">
              <label for="t-id">Template ID (templet_id)</label>
              <input id="t-id" class="mono" placeholder="login_code" value={templetId} onInput={(e) => setTempletId(e.currentTarget.value)} required />
            </div>
            <div class="field">
              <label for="t-client">Used by</label>
              <select id="t-client" value={clientId} onChange={(e) => setClientId(e.currentTarget.value)}>
                <option value="">Any client</option>
                {clients.map((c) => (
                  <option key={c.client_id} value={c.client_id}>
                    {c.client_id}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="field">
            <label for="t-text">Text</label>
            <textarea
              id="t-text"
              rows={4}
              placeholder="Your login code is ${code}. It expires in 5 minutes."
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
              required
            />
            <p class="hint">
              <code>{'${name}'}</code> marks a value the send fills in.
            </p>
          </div>
          {names.length > 0 && (
            <fieldset class="samples">
              <legend>Sample contents</legend>
              {names.map((name) => (
                <div class="field" key={name}>
                  <label for={`v-${name}`}>{name}</label>
                  <input
                    id={`v-${name}`}
                    value={values[name] ?? ''}
                    placeholder="8888"
                    onInput={(e) => setValues({ ...values, [name]: e.currentTarget.value })}
                  />
                </div>
              ))}
            </fieldset>
          )}
        </div>
        <LivePreview text={text} contents={contents} />
      </div>
      {error !== null && <Alert>{error}</Alert>}
      {added !== null && <Alert tone="ok">Template {added} added.</Alert>}
      <button type="submit" class="button primary" disabled={templetId.trim() === '' || text.trim() === ''}>
        Add template
      </button>
    </form>
  );
}

function LivePreview({ text, contents }: { text: string; contents: Record<string, string> }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const key = JSON.stringify([text, contents]);

  useEffect(() => {
    if (text.trim() === '') {
      setPreview(null);
      setProblem(null);
      return;
    }
    let current = true;
    // Debounced: one call when typing pauses, not one per key.
    const timer = setTimeout(() => {
      api.preview(text, contents).then(
        (answer) => {
          if (!current) return;
          setPreview(answer);
          setProblem(null);
        },
        (failure: unknown) => {
          if (!current) return;
          setPreview(null);
          setProblem(errorText(failure));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key]);

  return (
    <section class="preview" aria-label="Preview" aria-live="polite">
      <h3>Preview</h3>
      {problem !== null ? (
        <p class="preview-problem">{problem}</p>
      ) : preview === null ? (
        <p class="muted">Type a text to see what the phone shows.</p>
      ) : (
        <>
          <div class="phone-bubble">{preview.text}</div>
          <dl class="preview-facts">
            <div>
              <dt>Encoding</dt>
              <dd>{preview.encoding}</dd>
            </div>
            <div>
              <dt>Characters</dt>
              <dd>{preview.characters}</dd>
            </div>
            <div>
              <dt>SMS parts</dt>
              <dd>{preview.parts}</dd>
            </div>
          </dl>
          <p class="muted small">
            {preview.encoding === 'GSM-7' ? '160 characters fit one SMS, 153 per part once split.' : 'UCS-2: 70 characters fit one SMS, 67 per part once split.'}
          </p>
        </>
      )}
    </section>
  );
}
