import { useEffect, useState } from 'preact/hooks';
import { api, errorText, type Client, type Template } from './api.js';

/**
 * The clients and templates, as the Clients and Templates pages both need them (each page offers
 * the other's names), and the way both make a change: busy while it runs, its error shown, the
 * lists re-read after it.
 */
export function useCatalog() {
  const [clients, setClients] = useState<Client[] | null>(null);
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = async () => {
    try {
      const [clientList, templateList] = await Promise.all([api.clients(), api.templates()]);
      setClients(clientList.clients);
      setTemplates(templateList.templates);
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  useEffect(() => void reload(), []);

  /** Runs a change, shows its error if any, and re-reads the lists; true if it worked. */
  const change = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(errorText(failure));
      return false;
    } finally {
      setBusy(false);
      await reload();
    }
  };

  return { clients, templates, error, busy, reload, change };
}
