import { type FormEvent, useState } from 'react';
import { Modal } from '../../components/modal';
import { InlineError } from '../../components/states';

/** Asks for the note an action carries (who and when are recorded by the API), then runs it. */
export const NoteDialog = ({
  title,
  action,
  noteRequired = false,
  onSubmit,
  onClose,
}: Readonly<{
  title: string;
  action: string;
  noteRequired?: boolean;
  onSubmit: (note: string | null) => Promise<unknown>;
  onClose: () => void;
}>) => {
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await onSubmit(note.trim() || null);
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose}>
      <form onSubmit={submit}>
        <label className="field">
          {noteRequired ? 'Note' : 'Note (kept in the audit trail)'}
          <textarea name="note" rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
        </label>
        <InlineError error={error} />
        <div className="form-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={pending || (noteRequired && !note.trim())}>
            {pending ? 'Saving…' : action}
          </button>
        </div>
      </form>
    </Modal>
  );
};
