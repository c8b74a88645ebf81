package io.bpfmapd.web;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * An integer path or query parameter is the digits as written. Spring's default editor strips every
 * blank first ({@code ?count=1%202} would be 12, {@code ?from=%2012} 12), and it is the fallback even when
 * the conversion service refuses, so the rule is an editor: anything else is a type mismatch, a 400
 * {@code invalid-request} naming the parameter, errno EINVAL. Bodies: {@link JsonIntegers}.
 */
@ControllerAdvice
class IntegerParameters {

    @InitBinder
    void integersAreIntegers(WebDataBinder binder) {
        binder.registerCustomEditor(Integer.class, new Strict(Integer::valueOf));
        binder.registerCustomEditor(int.class, new Strict(Integer::valueOf));
        binder.registerCustomEditor(Long.class, new Strict(Long::valueOf));
        binder.registerCustomEditor(long.class, new Strict(Long::valueOf));
    }

    /** Parses with {@code valueOf} as is: a NumberFormatException is Spring's type mismatch; empty is absent. */
    private static final class Strict extends PropertyEditorSupport {
        private final Function<String, ? extends Number> parse;

        Strict(Function<String, ? extends Number> parse) {
            this.parse = parse;
        }

        @Override
        public void setAsText(String text) {
            setValue(text == null || text.isEmpty() ? null : parse.apply(text));
        }
    }
}
