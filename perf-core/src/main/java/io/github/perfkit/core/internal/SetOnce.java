package io.github.perfkit.core.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * The settings a builder has made, so that each may be made once: a second call to the same setter
 * is an {@code IllegalStateException} naming it, never a silent overwrite. One per builder; not
 * thread-safe (neither are builders).
 */
public final class SetOnce {

  private final Set<String> made = new HashSet<>();

  /**
   * Records a setting.
   *
   * @param setting its name, as the setter is called
   * @throws IllegalStateException if it was made before
   */
  public void mark(String setting) {
    if (!made.add(setting)) {
      throw new IllegalStateException(
          setting + " was already set on this builder (each setting may be set once)");
    }
  }

  /**
   * @param setting a setting's name
   * @return whether it has been made
   */
  public boolean isSet(String setting) {
    return made.contains(setting);
  }
}
