package io.github.perfkit.parallel;

/**
 * The batch call succeeded but returned nothing for this caller's key. Other callers of the same batch
 * are not affected. The key itself is not in the message (keys can carry personal data).
 */
public final class MissingResultException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MissingResultException(String batcher, int batchSize) {
    super("batcher '" + batcher + "': the batch call returned no value for this key (batch of "
        + batchSize + " keys)");
  }
}
