import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvCell, csvRow, toCsv } from '../../src/domain/index.ts';

describe('csv', () => {
  test('plain cells are left alone', () => {
    assert.equal(csvCell('hello'), 'hello');
    assert.equal(csvCell('Café déjà vu'), 'Café déjà vu');
    assert.equal(csvCell(''), '');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(undefined), '');
  });

  test('quotes when needed, doubling inner quotes', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('a\r\nb'), '"a\r\nb"');
    assert.equal(csvCell('a;b'), 'a;b');
    assert.equal(csvCell('a;b', { delimiter: ';' }), '"a;b"');
  });

  test('formula injection: = + - @ tab CR get an apostrophe', () => {
    assert.equal(csvCell('=HYPERLINK("http://evil","x")'), `"'=HYPERLINK(""http://evil"",""x"")"`);
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('+33 6 12'), "'+33 6 12");
    assert.equal(csvCell('-2+3'), "'-2+3");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\t=1'), "'\t=1");
    assert.equal(csvCell('\r=1'), `"'\r=1"`);
    assert.equal(csvCell('a=1'), 'a=1');
    assert.equal(csvCell("'already"), "'already");
  });

  test('numbers, booleans and dates are values, not formulas', () => {
    assert.equal(csvCell(-12.5), '-12.5');
    assert.equal(csvCell(42), '42');
    assert.equal(csvCell(10n), '10');
    assert.equal(csvCell(true), 'true');
    assert.equal(csvCell(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04:05.000Z');
    assert.equal(csvCell(-5, { delimiter: ';' }), '-5');
  });

  test('rows and files', () => {
    assert.equal(csvRow(['a', 1, null, '=x']), "a,1,,'=x");
    assert.equal(csvRow(['a', 'b;c'], { delimiter: ';' }), 'a;"b;c"');
    assert.equal(
      toCsv(
        ['id', 'title'],
        [
          ['P-1', 'A, B'],
          ['P-2', '-bad'],
        ],
      ),
      '\uFEFFid,title\r\nP-1,"A, B"\r\nP-2,\'-bad\r\n',
    );
    assert.equal(toCsv(['x'], [], { bom: false }), 'x\r\n');
  });
});
