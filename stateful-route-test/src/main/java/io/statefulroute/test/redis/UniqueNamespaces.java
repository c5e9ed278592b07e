package io.statefulroute.test.redis;

import java.security.SecureRandom;

/** Random short names that isolate one test's keys from every other test sharing a server. */
final class UniqueNamespaces {

  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String ALPHABET = LETTERS + "0123456789";

  /** 1 letter + 9 of 36 symbols: about 2^50 names, so separate JVMs do not collide either. */
  private static final int LENGTH = 10;

  private static final SecureRandom RANDOM = new SecureRandom();

  private UniqueNamespaces() {}

  /** A new name: lowercase letters and digits only, starting with a letter, 10 characters. */
  static String next() {
    StringBuilder name = new StringBuilder(LENGTH);
    name.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
    while (name.length() < LENGTH) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }
}
