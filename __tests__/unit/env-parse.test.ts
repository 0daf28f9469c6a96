/**
 * The `env` input is a `.env` file read by docker compose v2's rules. Each case gives the text
 * and the exact values; they come from compose-go's own tests (TestParsing, the fixtures, the
 * expansion tests) and further edge cases, checked against compose-go itself. Where the action
 * departs from compose on purpose (no process environment, names portable to compose v1, each
 * name once), the case says what it does instead.
 */
import { EnvSyntaxError, parseEnv } from '../../src/env/parse.js';

const values = (text: string) =>
  Object.fromEntries(parseEnv(text).vars.map((variable) => [variable.key, variable.value]));

describe('compose-go TestParsing, one line each', () => {
  it.each([
    ['FOO=bar', 'bar'],
    ['FOO =bar', 'bar'],
    ['FOO= bar', 'bar'],
    ['FOO="bar"', 'bar'],
    ["FOO='bar'", 'bar'],
    ['FOO="escaped\\"bar"', 'escaped"bar'],
    ['FOO="\\"quoted\\""', '"quoted"'],
    ['FOO="\'d\'"', "'d'"],
    ['FOO: 1', '1'],
    ['FOO: Foo=bar', 'Foo=bar'],
    ['FOO=1:B', '1:B'],
    ['export FOO=2', '2'],
    ["export FOO='\\n'", '\\n'],
    ['export\tFOO=2', '2'],
    ['  export FOO=2', '2'],
    ['\texport FOO=2', '2'],
    ['export FOO="export A"', 'export A'],
    ['FOO="bar\\nbaz"', 'bar\nbaz'],
    ['FOO=a\\tb', 'a\\tb'],
    ['FOO="a\\tb"', 'a\tb'],
    ['FOO="Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z"', 'Z\x07Z\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ'],
    ['FOO=foobar=', 'foobar='],
    ['FOO=bar ', 'bar'],
    ['FOO=bar # this is foo', 'bar'],
    ['FOO=bar #this is foo', 'bar'],
    ['FOO=bar #', 'bar'],
    ['FOO=123#not-an-inline-comment', '123#not-an-inline-comment'],
    ['FOO="bar#baz"', 'bar#baz'],
    ['FOO="bar#baz"#', 'bar#baz'],
    ['FOO="bar#baz" # comment', 'bar#baz'],
    ["FOO='bar#baz' # comment", 'bar#baz'],
    ['FOO="bar#baz#bang" # comment', 'bar#baz#bang'],
    ['FOO="ba#r"', 'ba#r'],
    ["FOO='ba#r'", 'ba#r'],
    ['FOO="bar\\n\\ b\\az"', 'bar\n\\ b\x07z'],
    ['FOO="bar\\\\\\n\\ b\\az"', 'bar\\\n\\ b\x07z'],
    ['FOO="bar\\\\r\\ b\\az"', 'bar\\r\\ b\x07z'],
    ['FOO="bar\\nbaz\\\\"', 'bar\nbaz\\'],
    [' FOO =value', 'value'],
    ['   FOO=value', 'value'],
    ['\tFOO=value', 'value'],
    ['FOO="\\0123"', 'S'],
    ['FOO="\\x07"', '\\x07'],
    ['FOO="\\u12e4"', '\\u12e4'],
    ['FOO="\\U00101234"', '\\U00101234'],
  ])('%j gives %j', (text, value) => {
    expect(values(text)).toEqual({ FOO: value });
  });

  it.each(['exportFoo=2', 'export_FOO =2', 'export export_FOO=2'])(
    '%j is a variable whose name starts with "export"',
    (text) => {
      expect(Object.keys(values(text))[0]).toMatch(/^export_?F/i);
    },
  );
});

describe('whole files', () => {
  it.each([
    ['FOO=test\nBAR=$FOO', { FOO: 'test', BAR: 'test' }],
    ['FOO=test\nBAR=${FOO}bar', { FOO: 'test', BAR: 'testbar' }],
    ['FOO=test\nBAR="quote $FOO"', { FOO: 'test', BAR: 'quote test' }],
    ["BAR='quote $FOO'", { BAR: 'quote $FOO' }],
    ['FOO="foo\\$BAR"', { FOO: 'foo$BAR' }],
    ['FOO="foo\\${BAR}"', { FOO: 'foo${BAR}' }],
    ['FOO=test\nBAR="foo\\${FOO} ${FOO}"', { FOO: 'test', BAR: 'foo${FOO} test' }],
    ['ONE=1\nTWO=\'2\'\nTHREE = "3"', { ONE: '1', TWO: '2', THREE: '3' }],
    [
      'TEST_URLS="stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443"',
      {
        TEST_URLS: 'stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443',
      },
    ],
    ['A=b\nUNICODE=ÁRVÍZTŰRŐ-tükörfúrógép €\n', { A: 'b', UNICODE: 'ÁRVÍZTŰRŐ-tükörfúrógép €' }],
    ['B=$A\nA=1', { B: '', A: '1' }],
    ['A=1\nB=${A:-d}', { A: '1', B: '1' }],
    ['B="x ${A:-d} y"', { B: 'x d y' }],
    ['X=\nB=${X?m}', { X: '', B: '' }],
    ['A=x\nK=${A:+set}${B:-unset}', { A: 'x', K: 'setunset' }],
    ['A=x\nB=y\nK="$A$B"\nL=$A$B\nM=${A}${B}', { A: 'x', B: 'y', K: 'xy', L: 'xy', M: 'xy' }],
    ['A=$X\nB="$A"', { A: '', B: '' }],
    ['A=\'$X\'\nB="$A"', { A: '$X', B: '$X' }],
    ['A=zz\nB="\\044A"\nC="\\0044A"', { A: 'zz', B: '\\44A', C: 'zz' }],
  ])('%j', (text, expected) => {
    expect(values(text)).toEqual(expected);
  });
});

describe('compose-go fixtures', () => {
  it('plain.env (a name starting with a digit left out: see "departures")', () => {
    const text =
      'OPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\nOPTION_F = \nOPTION_G=\nOPTION_H = my string # Inline comment\n';
    expect(values(text)).toEqual({
      OPTION_A: '1',
      OPTION_B: '2',
      OPTION_C: '3',
      OPTION_D: '4',
      OPTION_E: '5',
      OPTION_F: '',
      OPTION_G: '',
      OPTION_H: 'my string',
    });
  });

  it('utf8-bom.env: a byte-order mark at the start is dropped', () => {
    expect(values('\ufeffOPTION_A=1\nOPTION_B=2\n')).toEqual({ OPTION_A: '1', OPTION_B: '2' });
  });

  it('exported.env and equals.env', () => {
    expect(
      values(
        "export OPTION_A=2\nexport OPTION_B='\\n'\nexport OPTION_C='postgres://localhost:5432/database?sslmode=disable'\n\n",
      ),
    ).toEqual({
      OPTION_A: '2',
      OPTION_B: '\\n',
      OPTION_C: 'postgres://localhost:5432/database?sslmode=disable',
    });
  });

  it('quoted.env', () => {
    const text = [
      "OPTION_A='1'",
      "OPTION_B='2'",
      "OPTION_C=''",
      "OPTION_D='\\n'",
      'OPTION_E="1"',
      'OPTION_F="2"',
      'OPTION_G=""',
      'OPTION_H="\\n"',
      'OPTION_I = "echo \'asd\'" # Inline comment',
      "OPTION_J = 'first line",
      'second line',
      'third line',
      "and so on'",
      "OPTION_K='Let\\'s go!'",
      'OPTION_Z = "last value"',
      '',
    ].join('\n');
    expect(values(text)).toEqual({
      OPTION_A: '1',
      OPTION_B: '2',
      OPTION_C: '',
      OPTION_D: '\\n',
      OPTION_E: '1',
      OPTION_F: '2',
      OPTION_G: '',
      OPTION_H: '\n',
      OPTION_I: "echo 'asd'",
      OPTION_J: 'first line\nsecond line\nthird line\nand so on',
      OPTION_K: "Let's go!",
      OPTION_Z: 'last value',
    });
  });

  it('unquoted.env', () => {
    const text =
      'OPTION_A = "some quoted phrase"\nOPTION_B=first one with an unquoted phrase\nOPTION_C = then another one with an unquoted phrase\nOPTION_D = then another one with an unquoted phrase special è char\nOPTION_E = "then another one quoted phrase"\n';
    expect(values(text)).toEqual({
      OPTION_A: 'some quoted phrase',
      OPTION_B: 'first one with an unquoted phrase',
      OPTION_C: 'then another one with an unquoted phrase',
      OPTION_D: 'then another one with an unquoted phrase special è char',
      OPTION_E: 'then another one quoted phrase',
    });
  });

  it.each([
    ['substitutions.env', 'OPTION_A=1'],
    ['substitutions-default.env', 'OPTION_A=${OPTION_A:-1}'],
  ])('%s (no process environment: only earlier keys)', (_, first) => {
    const text = `${first}\nOPTION_B=\${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=\${OPTION_A}_\${OPTION_B}\nOPTION_E=\${OPTION_NOT_DEFINED}\n`;
    expect(values(text)).toEqual({
      OPTION_A: '1',
      OPTION_B: '1',
      OPTION_C: '1',
      OPTION_D: '1_1',
      OPTION_E: '',
    });
  });

  it('godotenv_var_expansion_test: defaults, alternatives and required values', () => {
    const base = 'EMPTY_VAR=\nTEST_VAR="Test Value"\n';
    const result = (expression: string) => values(`${base}RESULT=${expression}`).RESULT;
    expect(
      [
        '${UNSET_VAR:-Default Value}',
        '${EMPTY_VAR:-Default Value}',
        '${TEST_VAR:-Default Value}',
        '${UNSET_VAR-Default Value}',
        '${EMPTY_VAR-Default Value}',
        '${TEST_VAR-Default Value}',
        '${TEST_VAR:?Default Value}',
        '${EMPTY_VAR?Test error}',
        '${TEST_VAR?Default Value}',
      ].map(result),
    ).toEqual([
      'Default Value',
      'Default Value',
      'Test Value',
      'Default Value',
      '',
      'Test Value',
      'Test Value',
      '',
      'Test Value',
    ]);
    for (const expression of [
      '${UNSET_VAR:?Test error}',
      '${EMPTY_VAR:?Test error}',
      '${UNSET_VAR?Test error}',
    ]) {
      expect(() => result(expression)).toThrow(/line 3: RESULT requires (UNSET|EMPTY)_VAR/);
    }
  });
});

describe('edge cases, as compose-go reads them', () => {
  it.each([
    ['FOO: bar', 'bar'],
    ['FOO:bar', 'bar'],
    ['FOO :bar', 'bar'],
    ['FOO=a:b', 'a:b'],
    ['FOO:a=b', 'a=b'],
    ["FOO : 'x'", 'x'],
    ['FOO\t=1', '1'],
    [' FOO = 1 ', '1'],
    ['FOO=1#x', '1#x'],
    ['FOO=bar\t#x', 'bar\t#x'],
    ['FOO=bar  #x', 'bar'],
    ['FOO= #x', '#x'],
    ['FOO=#x', '#x'],
    ['FOO=a # b # c', 'a'],
    ['FOO=\t\tbar\t\t', 'bar'],
    ['FOO=a b  c ', 'a b  c'],
    ['FOO=a\\nb', 'a\\nb'],
    ['FOO=a\\\\b', 'a\\\\b'],
    ['FOO=\\$BAR', '\\'],
    ['FOO=$$BAR', '$BAR'],
    ['FOO=a\\', 'a\\'],
    ["FOO=it's", "it's"],
    ['FOO=a"b', 'a"b'],
    ['FOO= "a"', 'a'],
    ["FOO=\t'a'", 'a'],
    ['FOO=x"a"', 'x"a"'],
    ['FOO="a"#c', 'a'],
    ["FOO='a'#c", 'a'],
    ["FOO='a$BAR'", 'a$BAR'],
    ["FOO='a\\nb'", 'a\\nb'],
    ["FOO='a\\'b'", "a'b"],
    ["FOO='a\\\\b'", 'a\\\\b'],
    ["FOO='a\\\\'", 'a\\\\'],
    ["FOO='a\\\"b'", 'a\\"b'],
    ["FOO='line1\nline2'", 'line1\nline2'],
    ["FOO='a\r\nb'", 'a\r\nb'],
    ["FOO='${X:?boom}'", '${X:?boom}'],
    ["FOO=''", ''],
    ['FOO="\\a\\b\\c\\f\\n\\r\\t\\v"', '\x07\b\\c\f\n\r\t\v'],
    ['FOO="\\q"', '\\q'],
    ['FOO="\\\'"', "\\'"],
    ['FOO="\\\\"', '\\'],
    ['FOO="\\\\\\\\"', '\\\\'],
    ['FOO="\\$"', '$'],
    ['FOO="\\$X"', '$X'],
    ['FOO="\\${X}"', '${X}'],
    ['FOO="$$X"', '$X'],
    ['FOO="\\\\$X"', '\\'],
    ['FOO="\\0"', '\\'],
    ['FOO="\\01"', '\\1'],
    ['FOO="\\012"', '\\12'],
    ['FOO="\\0101"', 'A'],
    ['FOO="\\01011"', 'A1'],
    ['FOO="\\0400"', '\\400'],
    ['FOO="\\0377"', 'ÿ'],
    ['FOO="\\08"', '\\8'],
    ['FOO="\\044X"', '\\44X'],
    ['FOO="\\e"', '\\e'],
    ['FOO="\\ "', '\\ '],
    ['FOO="a\\\nb"', 'a\\\nb'],
    ['FOO="a\nb"', 'a\nb'],
    ['FOO="a\r\nb"', 'a\r\nb'],
    ['FOO="\\""', '"'],
    ['FOO="\\\\\\""', '\\"'],
    ['FOO="a\r"', 'a\r'],
    ['FOO=1\rL=2', '1\rL=2'],
    ['FOO=$1', '$1'],
    ['FOO=$-', '$-'],
    ['FOO=$', '$'],
    ['FOO=a$', 'a$'],
    ['FOO=$ a', '$ a'],
    ['FOO=${UNSET:-x} #c', 'x'],
    ['FOO=$$ #c', '$'],
    ['FOO="${UNSET:- #x}"', ' #x'],
    ['FOO=a　', 'a'],
    ['FOO=a\ufeff', 'a\ufeff'],
    ['FOO= ', ''],
    ['FOO=\t', ''],
    ["FOO='' # c", ''],
    ['FOO=a#b #c', 'a#b'],
  ])('%j gives %j', (text, value) => {
    expect(values(text)).toEqual({ FOO: value });
  });

  it.each([
    ['FOO=1\r\nBAR=2\r\n', { FOO: '1', BAR: '2' }],
    ['FOO="a"\r\nBAR=\'b\'\r\n', { FOO: 'a', BAR: 'b' }],
    ['FOO=1 # c\n# full\n  # indented\nBAR=2', { FOO: '1', BAR: '2' }],
    ['#FOO=1', {}],
    ['# only comment', {}],
    ['', {}],
    ['\n\n', {}],
    ['  # c\n\t\n', {}],
    ["FOO='a' BAR=2", { FOO: 'a', BAR: '2' }],
    ['X="a"  \t # c\nY=2', { X: 'a', Y: '2' }],
    ['X=a\\\nY=2', { X: 'a\\', Y: '2' }],
    ['X="a\\\\"\nY=2', { X: 'a\\', Y: '2' }],
    ['K=a #b\\\nL=1', { K: 'a', L: '1' }],
    ['K="a"\rL=1', { K: 'a', L: '1' }],
  ])('%j', (text, expected) => {
    expect(values(text)).toEqual(expected);
  });
});

describe('NAME<<DELIMITER: a value verbatim over any number of lines', () => {
  it.each([
    [
      'CERT<<EOF\n-----BEGIN-----\nabc\n-----END-----\nEOF\nNEXT=x',
      'CERT',
      '-----BEGIN-----\nabc\n-----END-----',
    ],
    ['S<<END\nit\'s "$5" ${X} \\ #1 $$\nEND', 'S', 'it\'s "$5" ${X} \\ #1 $$'],
    ['S<<END\n  spaced  \n\nEND', 'S', '  spaced  \n'],
    ['S<<END\nEND', 'S', ''],
    ['export S<<X-1\na\nX-1', 'S', 'a'],
    ['S<<END\r\nline\r\nEND\r\n', 'S', 'line\r'],
  ])('%j', (text, key, value) => {
    expect(values(text)[key]).toBe(value);
  });

  it('numbers the lines after it as they are', () => {
    expect(parseEnv('A<<X\n1\n2\nX\nB=3').vars.map((v) => [v.key, v.line])).toEqual([
      ['A', 1],
      ['B', 5],
    ]);
  });
});

describe('the .env the action writes, given back', () => {
  it('reads the helper variables of the encoding, and passes them on as nothing', () => {
    const written =
      "MONARCH_ENV_DOLLAR='$'\nMONARCH_ENV_BACKSLASH=\\\nMONARCH_ENV_QUOTE='\"'\nK=\"it's ${MONARCH_ENV_DOLLAR}5 ${MONARCH_ENV_BACKSLASH} ${MONARCH_ENV_QUOTE}\"\n";
    expect(values(written)).toEqual({ K: 'it\'s $5 \\ "' });
  });
});

describe('errors: the line and the key, never the value', () => {
  const SECRET = 'hunter2-secret';
  it.each([
    [`FOO="${SECRET}`, /^line 1: the double quote that starts the value of FOO is never closed$/],
    [
      `A=1\nFOO='${SECRET}\nB=2`,
      /^line 2: the single quote that starts the value of FOO is never closed$/,
    ],
    [`FOO="${SECRET}\\"`, /^line 1: .* FOO is never closed$/],
    [`MY KEY=${SECRET}`, /^line 1: expected a variable name .* NAME<<EOF/],
    [`FOO$=${SECRET}`, /^line 1: expected a variable name/],
    [`1ABC=${SECRET}`, /^line 1: expected a variable name/],
    [`FOO.BAR=${SECRET}`, /^line 1: expected a variable name/],
    [`=${SECRET}`, /^line 1: expected a variable name/],
    ['FOO\nBAR=1', /^line 1: FOO has no '=': write NAME= for an empty value/],
    ['A=1\nFOO', /^line 2: FOO has no '='/],
    [`A=1\n${SECRET}`, /^line 2: has no '='/],
    [`A=1\nB=2\nA=${SECRET}`, /^line 3: A is already set on line 1$/],
    [`K<<EOF\n${SECRET}`, /^line 1: K<<EOF has no closing line EOF$/],
    [`K=\${X:?${SECRET}}`, /^line 1: K requires X/],
    [`K=\${${SECRET}`, /^line 1: the value of K has a \$\{ that starts no/],
    [`K="a" "${SECRET}"`, /^line 1: expected a variable name/],
    [`MONARCH_ENV_DOLLAR=${SECRET}`, /^line 1: names starting with MONARCH_ENV_ are reserved/],
    [`K=a\0b${SECRET}`, /^line 1: the value of K contains a NUL byte$/],
  ])('%j', (text, message) => {
    let error: unknown;
    try {
      parseEnv(text);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(EnvSyntaxError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('hunter2');
  });
});

describe('warnings: what the rules change, by line and key', () => {
  const notes = (text: string) => parseEnv(text).notes.map((n) => `${n.line} ${n.key}: ${n.text}`);

  it.each([
    ['URL=postgres://x@h/db # primary', 'URL'],
    ['PRICE=$5', 'PRICE'],
    ['PASSWORD=abc$def', 'PASSWORD'],
    ['PADDED=value   ', 'PADDED'],
  ])('%j changes %s', (text, key) => {
    expect(notes(text)).toContainEqual(
      expect.stringMatching(
        new RegExp(`^1 ${key}: read as compose reads an unquoted value .* NAME<<EOF`),
      ),
    );
  });

  it.each([
    ['PLAIN=value', []],
    ['QUOTED="a $5 $X"', ['1 QUOTED: $X is not set']],
    ["SINGLE='a $5 # b  '", []],
    ['A=1\nB="$A"', []],
    ['CRLF=value\r\n', []],
    ['HEREDOC<<E\n$X # y  \nE', []],
  ])('%j: %j', (text, expected) => {
    expect(notes(text)).toEqual(expected.map((start) => expect.stringContaining(start)));
  });

  it('names a variable used before it is set, never a value', () => {
    expect(notes('URL="http://${HOST}:${PORT:-80}/"\nHOST=example')).toEqual([
      '1 URL: $HOST is not set earlier in env (the action has no other environment to take it from): it reads as an empty string',
    ]);
  });

  it('says when text after a closing quote becomes another variable', () => {
    expect(notes("A='x' B=2")).toEqual([
      '1 A: the text after its closing quote is read as another variable, as compose reads it',
    ]);
  });
});
