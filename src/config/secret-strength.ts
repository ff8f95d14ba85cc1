import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/**
 * Guesses an attacker would need, as zxcvbn estimates them (common passwords and names, keyboard
 * patterns, repeats, sequences, dates), below which a secret chosen by a person is refused: 10^20, about 66
 * bits. A random key of 24 letters and digits estimates at about 10^24.
 */
const MIN_GUESSES_LOG10 = 20;

let estimator: ZxcvbnFactory | null = null;

/** Why `secret` is too weak to guard the service, or null when it is strong enough. */
export function weakSecretProblem(secret: string, minLength: number): string | null {
  if (secret.length < minLength) return `must be at least ${minLength} characters`;
  estimator ??= new ZxcvbnFactory({
    dictionary: common.dictionary,
    graphs: common.adjacencyGraphs,
  });
  const { guessesLog10 } = estimator.check(secret);
  if (guessesLog10 < MIN_GUESSES_LOG10) {
    return (
      `is too easy to guess (about 10^${Math.floor(guessesLog10)} guesses; at least 10^${MIN_GUESSES_LOG10} needed): ` +
      'use a random value, e.g. openssl rand -base64 32'
    );
  }
  return null;
}
