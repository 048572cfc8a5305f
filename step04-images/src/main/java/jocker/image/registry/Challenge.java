package jocker.image.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A WWW-Authenticate header: the scheme ("bearer" or "basic") and its
 * parameters, as in: Bearer realm="https://auth.example/token",service="registry",scope="repository:app:pull".
 */
record Challenge(String scheme, Map<String, String> params) {

    static Challenge parse(String header) {
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        if (space > 0) {
            String rest = h.substring(space + 1);
            int i = 0;
            while (i < rest.length()) {
                int eq = rest.indexOf('=', i);
                if (eq < 0) {
                    break;
                }
                String key = rest.substring(i, eq).trim().toLowerCase(Locale.ROOT);
                int start = eq + 1;
                String value;
                if (start < rest.length() && rest.charAt(start) == '"') {
                    int end = rest.indexOf('"', start + 1);
                    end = end < 0 ? rest.length() : end;
                    value = rest.substring(start + 1, end);
                    i = rest.indexOf(',', end);
                } else {
                    int end = rest.indexOf(',', start);
                    value = rest.substring(start, end < 0 ? rest.length() : end).trim();
                    i = end;
                }
                params.put(key, value);
                if (i < 0) {
                    break;
                }
                i++;
            }
        }
        return new Challenge(scheme, params);
    }
}
