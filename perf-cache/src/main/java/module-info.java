/** perfkit cache: memoizing caches on Caffeine. See {@link io.github.perfkit.cache}. */
module io.github.perfkit.cache {
  requires transitive io.github.perfkit.core;
  requires transitive com.github.benmanes.caffeine;

  exports io.github.perfkit.cache;
}
