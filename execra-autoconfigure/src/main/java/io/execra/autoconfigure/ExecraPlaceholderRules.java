package io.execra.autoconfigure;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.execra.CommandTemplate;
import io.execra.PlaceholderRule;

/**
 * Turns {@code execra.commands.<name>.placeholders.*} into {@link PlaceholderRule}s on a preset's template, failing
 * with the exact property of a rule that cannot be used.
 */
final class ExecraPlaceholderRules {

	private ExecraPlaceholderRules() {
	}

	/**
	 * Adds the rules to a template.
	 * @param template the preset's template
	 * @param placeholders the rules' properties by placeholder name
	 * @return the template with its rules
	 * @throws InvalidExecraPropertyException naming the first bad property
	 */
	static CommandTemplate apply(CommandTemplate template, Map<String, ExecraPlaceholderProperties> placeholders) {
		CommandTemplate result = template;
		for (Map.Entry<String, ExecraPlaceholderProperties> entry : placeholders.entrySet()) {
			String property = "execra.commands." + template.name() + ".placeholders" + key(entry.getKey());
			if (!template.placeholders().contains(entry.getKey())) {
				throw new InvalidExecraPropertyException(property, null, "the preset has no placeholder {"
						+ entry.getKey() + "} (its placeholders: " + template.placeholders() + ")");
			}
			result = result.withRule(entry.getKey(), rule(entry.getValue(), property));
		}
		return result;
	}

	private static String key(String placeholder) {
		return (placeholder.indexOf('.') >= 0) ? "[" + placeholder + "]" : "." + placeholder;
	}

	private static PlaceholderRule rule(ExecraPlaceholderProperties properties, String property) {
		PlaceholderRule.Kind kind = properties.getKind();
		PlaceholderRule rule = switch (kind) {
			case TEXT -> PlaceholderRule.text();
			case PATH -> PlaceholderRule.path(baseDirectories(properties.getBaseDirectories(), property));
			case URL -> PlaceholderRule.url();
		};
		if (kind != PlaceholderRule.Kind.PATH) {
			requireUnset(properties.getBaseDirectories().isEmpty(), property, "base-directories", "path",
					properties.getBaseDirectories());
			requireUnset(properties.getMustExist() == null, property, "must-exist", "path", properties.getMustExist());
		}
		if (kind != PlaceholderRule.Kind.URL) {
			requireUnset(properties.getHosts().isEmpty(), property, "hosts", "url", properties.getHosts());
			requireUnset(properties.getSchemes().equals(List.of("http", "https")), property, "schemes", "url",
					properties.getSchemes());
		}
		if (properties.getPattern() != null) {
			rule = rule.pattern(ExecraRegexes.compile(properties.getPattern(), property + ".pattern"));
		}
		if (!properties.getAllowedValues().isEmpty()) {
			rule = rule.allowedValues(properties.getAllowedValues());
		}
		if (properties.getMaxLength() <= 0) {
			throw new InvalidExecraPropertyException(property + ".max-length", properties.getMaxLength(),
					"must be positive");
		}
		rule = rule.maxLength(properties.getMaxLength()).allowOptions(properties.isAllowOptions());
		if (kind == PlaceholderRule.Kind.PATH) {
			rule = rule.mustExist(properties.getMustExist());
		}
		if (kind == PlaceholderRule.Kind.URL) {
			if (properties.getSchemes().isEmpty() || properties.getSchemes().stream().anyMatch(String::isBlank)) {
				throw new InvalidExecraPropertyException(property + ".schemes", properties.getSchemes(),
						"a url placeholder needs at least one scheme, and no scheme may be blank");
			}
			if (properties.getHosts().stream().anyMatch(String::isBlank)) {
				throw new InvalidExecraPropertyException(property + ".hosts", properties.getHosts(),
						"a host may not be blank");
			}
			rule = rule.schemes(properties.getSchemes()).hosts(properties.getHosts());
		}
		return rule;
	}

	private static List<Path> baseDirectories(List<String> directories, String property) {
		if (directories.isEmpty()) {
			throw new InvalidExecraPropertyException(property + ".base-directories", null,
					"a path placeholder needs at least one base directory to stay under");
		}
		List<Path> paths = new ArrayList<>(directories.size());
		for (int i = 0; i < directories.size(); i++) {
			String directory = directories.get(i);
			try {
				if (directory.isBlank()) {
					throw new InvalidPathException(directory, "blank");
				}
				paths.add(Path.of(directory));
			}
			catch (InvalidPathException ex) {
				throw new InvalidExecraPropertyException(property + ".base-directories[" + i + "]", directory,
						"not a valid path: " + ex.getReason(), ex);
			}
		}
		return paths;
	}

	private static void requireUnset(boolean unset, String property, String setting, String kind, Object value) {
		if (!unset) {
			throw new InvalidExecraPropertyException(property + "." + setting, value,
					"applies only to kind " + kind + "; set kind: " + kind + " or remove it");
		}
	}

}
