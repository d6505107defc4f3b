import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/errors';
import { toAppError } from '../../i18n/errors';
import { useClient } from '../../station/StationContext';

export type SourceSurvey = MethodOutput<'import.survey'> & { state: 'counted' };
export type SurveyState = { state: 'counting' } | SourceSurvey;

/**
 * Checks each path as it joins the import list (`import.survey`): the engine walks it with the
 * gate import.start uses and answers its file count and size, or refuses it with the error Start
 * would give, naming the path. A refused path leaves the list at once and its error is shown
 * until the list changes. The walk runs in the engine; the dialog stays live while it counts.
 */
export function useSourceSurveys(
  sources: string[],
  setSources: Dispatch<SetStateAction<string[]>>,
): { surveys: Record<string, SurveyState>; refused: AppError | null; clearRefused(): void } {
  const client = useClient();
  const [surveys, setSurveys] = useState<Record<string, SurveyState>>({});
  const [refused, setRefused] = useState<AppError | null>(null);
  const asked = useRef(new Set<string>());

  useEffect(() => {
    for (const path of sources) {
      if (asked.current.has(path)) continue;
      asked.current.add(path);
      setSurveys((all) => ({ ...all, [path]: { state: 'counting' } }));
      client.call('import.survey', { path }).then(
        (survey) => setSurveys((all) => ({ ...all, [path]: { ...survey, state: 'counted' } })),
        (error: unknown) => {
          // Asked again if the person adds it again (the card may be in by then).
          asked.current.delete(path);
          setSurveys(({ [path]: _gone, ...rest }) => rest);
          setSources((list) => list.filter((p) => p !== path));
          setRefused(toAppError(error));
        },
      );
    }
  }, [client, sources, setSources]);

  return { surveys, refused, clearRefused: () => setRefused(null) };
}
