import { useState } from 'react';
import { useI18n } from '../../i18n';
import { Icon } from './Icon';

export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // The clipboard API needs a secure context; fall back to a selection copy on plain http.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" className="btn btn-small" onClick={() => void copy()} aria-label={label} data-testid={testId}>
      <Icon name={copied ? 'check' : 'copy'} size={14} />
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}
