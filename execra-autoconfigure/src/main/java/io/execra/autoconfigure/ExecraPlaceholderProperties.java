package io.execra.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.execra.PlaceholderRule;
import org.jspecify.annotations.Nullable;

/**
 * What a preset's placeholder accepts, bound at {@code execra.commands.<name>.placeholders.<placeholder>.*} and
 * mapped to an {@link io.execra.PlaceholderRule}. Placeholders without one still get the default checks: no
 * leading dash, no NUL, line break or other control character, at most 4096 characters.
 */
public class ExecraPlaceholderProperties {

	/**
	 * What the value is: any text, a path that must stay under the base directories, or a URL with an allowed
	 * scheme and host.
	 */
	private PlaceholderRule.Kind kind = PlaceholderRule.Kind.TEXT;

	/**
	 * Regular expression the whole value must match.
	 */
	private @Nullable String pattern;

	/**
	 * Values accepted; any value passing the other checks when empty.
	 */
	private List<String> allowedValues = new ArrayList<>();

	/**
	 * Longest value accepted, in characters.
	 */
	private int maxLength = PlaceholderRule.DEFAULT_MAX_LENGTH;

	/**
	 * Whether the value may start with "-" (or a unicode dash), which the program could take for an option.
	 */
	private boolean allowOptions;

	/**
	 * Directories a path must stay under once normalized and its symbolic links resolved; a relative value is
	 * resolved against the first. Required for kind "path".
	 */
	private List<String> baseDirectories = new ArrayList<>();

	/**
	 * For kind "path": whether the path must exist (true) or must not exist (false). Either when unset.
	 */
	private @Nullable Boolean mustExist;

	/**
	 * For kind "url": the schemes allowed.
	 */
	private List<String> schemes = new ArrayList<>(List.of("http", "https"));

	/**
	 * For kind "url": the hosts allowed. Any host when empty.
	 */
	private List<String> hosts = new ArrayList<>();

	public PlaceholderRule.Kind getKind() {
		return this.kind;
	}

	public void setKind(PlaceholderRule.Kind kind) {
		this.kind = kind;
	}

	public @Nullable String getPattern() {
		return this.pattern;
	}

	public void setPattern(@Nullable String pattern) {
		this.pattern = pattern;
	}

	public List<String> getAllowedValues() {
		return this.allowedValues;
	}

	public void setAllowedValues(List<String> allowedValues) {
		this.allowedValues = allowedValues;
	}

	public int getMaxLength() {
		return this.maxLength;
	}

	public void setMaxLength(int maxLength) {
		this.maxLength = maxLength;
	}

	public boolean isAllowOptions() {
		return this.allowOptions;
	}

	public void setAllowOptions(boolean allowOptions) {
		this.allowOptions = allowOptions;
	}

	public List<String> getBaseDirectories() {
		return this.baseDirectories;
	}

	public void setBaseDirectories(List<String> baseDirectories) {
		this.baseDirectories = baseDirectories;
	}

	public @Nullable Boolean getMustExist() {
		return this.mustExist;
	}

	public void setMustExist(@Nullable Boolean mustExist) {
		this.mustExist = mustExist;
	}

	public List<String> getSchemes() {
		return this.schemes;
	}

	public void setSchemes(List<String> schemes) {
		this.schemes = schemes;
	}

	public List<String> getHosts() {
		return this.hosts;
	}

	public void setHosts(List<String> hosts) {
		this.hosts = hosts;
	}

}
