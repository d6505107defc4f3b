import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale } from '../../../shared/schemas';
import { en, type MessageKey, type Messages } from './en';
import { zhCN } from './zh-CN';
import { translate, type MessageParams } from './translate';

export type { MessageKey } from './en';

const CATALOGUES: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

export type Translate = (key: MessageKey, params?: MessageParams) => string;

interface I18nValue {
  locale: Locale;
  t: Translate;
  /** Changes the language shown; persisting it for the account is the caller's job (settings.setLocale). */
  setLocale(locale: Locale): void;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ initialLocale, children }: { initialLocale: Locale; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => setLocaleState(next), []);
  // The page's language follows the UI's from the first paint: fonts, hyphenation and the
  // browser's own controls (date fields) read it.
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18nValue>(() => {
    const messages = CATALOGUES[locale];
    return { locale, setLocale, t: (key, params) => translate(messages, key, params) };
  }, [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
