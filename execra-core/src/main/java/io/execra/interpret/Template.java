package io.execra.interpret;

import java.util.regex.Matcher;

/**
 * Renders a message template with a regex match: {@code $N} (one or two digits) is numbered group N,
 * {@code ${name}} the named group; a group that does not exist or did not take part becomes "", and a {@code $}
 * followed by anything else is kept.
 */
final class Template {

	private Template() {
	}

	static String render(String template, Matcher match) {
		if (template.indexOf('$') < 0) {
			return template;
		}
		StringBuilder out = new StringBuilder(template.length() + 16);
		int i = 0;
		int length = template.length();
		while (i < length) {
			char c = template.charAt(i);
			if (c != '$' || i + 1 >= length) {
				out.append(c);
				i++;
				continue;
			}
			char next = template.charAt(i + 1);
			if (isDigit(next)) {
				int end = i + 2;
				if (end < length && isDigit(template.charAt(end))) {
					end++;
				}
				out.append(group(match, Integer.parseInt(template.substring(i + 1, end))));
				i = end;
			}
			else if (next == '{' && template.indexOf('}', i + 2) > i + 2) {
				int close = template.indexOf('}', i + 2);
				out.append(group(match, template.substring(i + 2, close)));
				i = close + 1;
			}
			else {
				out.append(c);
				i++;
			}
		}
		return out.toString();
	}

	static String group(Matcher match, int number) {
		if (number > match.groupCount()) {
			return "";
		}
		String value = match.group(number);
		return (value != null) ? value : "";
	}

	static String group(Matcher match, String name) {
		try {
			String value = match.group(name);
			return (value != null) ? value : "";
		}
		catch (IllegalArgumentException ex) {
			// no group by that name
			return "";
		}
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
