package io.bpfmapd.web;

/**
 * Who is making the current request: the owner recorded on the sessions it opens. The one place the
 * service asks; authentication replaces the bean, nothing else changes.
 */
@FunctionalInterface
public interface CurrentPrincipal {

    /** Owner name used while requests are not authenticated. */
    String ANONYMOUS = "anonymous";

    String name();
}
