import 'reflect-metadata';
import { lookupEventType, KNOWN_TYPES } from '../../chronology/events/catalogue';
import { PostEventDto } from '../../chronology/dto/post-event.dto';
import { AppError } from '../../shared/errors';
import { validateInto } from '../../shared/validation';
import type { EventBody } from './import-batches';

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

/**
 * What a dry run can check without the server: the body's shape and each field's rules, by the
 * same DTOs POST /v1/events validates with. Not checked: references (actors, sources, entries
 * that must exist), the deciders' rules (a retracted entry, a link cycle), permissions.
 */
export function localProblems(e: EventBody): Array<{ path: string; message: string }> {
  const { ref: _ref, ...body } = e;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body.data ?? {})) {
    data[k] = typeof v === 'string' && v.startsWith('@') ? PLACEHOLDER : v;
  }
  try {
    validateInto(PostEventDto, { ...body, data });
    const type = lookupEventType(body.type);
    if (!type)
      return [
        {
          path: 'type',
          message: `unknown event type "${body.type}"; known types: ${KNOWN_TYPES.join(', ')}`,
        },
      ];
    validateInto(type.dto, data, 'data');
    return [];
  } catch (error) {
    if (error instanceof AppError) {
      const errors = (error.extensions as { errors?: Array<{ path: string; message: string }> } | undefined)
        ?.errors;
      return errors && errors.length > 0 ? errors : [{ path: '', message: error.message }];
    }
    throw error;
  }
}
