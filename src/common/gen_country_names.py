# SPDX-License-Identifier: MIT
# Generates country_names.inc (ISO 3166-1 names in English, Danish, Swedish and Norwegian from
# Debian's iso-codes, plus common names people write) and fold.inc (the kLatinFold table of
# country.cc) in the current directory: cd /tmp && python3 .../gen_country_names.py
import json, gettext, unicodedata, re, collections
data = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
tr = {l: gettext.GNUTranslations(open(f'/usr/share/locale/{l}/LC_MESSAGES/iso_3166-1.mo', 'rb'))
      for l in ['da', 'sv', 'nb', 'nn']}
SPECIAL = {'æ': 'ae', 'Æ': 'ae', 'ø': 'o', 'Ø': 'o', 'œ': 'oe', 'Œ': 'oe', 'ß': 'ss', 'þ': 'th',
           'Þ': 'th', 'ð': 'd', 'Ð': 'd', 'ł': 'l', 'Ł': 'l', 'đ': 'd', 'Đ': 'd', 'ı': 'i',
           'ħ': 'h', 'Ħ': 'h', 'ŧ': 't', 'Ŧ': 't', 'ŀ': 'l', 'Ŀ': 'l', 'ĸ': 'k', 'ŉ': 'n',
           'ŋ': 'ng', 'Ŋ': 'ng', 'Ĳ': 'ij', 'ĳ': 'ij', 'ſ': 's', '×': '', '÷': ''}
def fold_char(ch):
    if ch in SPECIAL: return SPECIAL[ch]
    d = unicodedata.normalize('NFKD', ch)
    return ''.join(c for c in d if ord(c) < 128).lower()
FOLD = [fold_char(chr(cp)) for cp in range(0xC0, 0x180)]
def fold(text):
    out = []
    for ch in text:
        cp = ord(ch)
        if cp < 128:
            c = ch.lower()
            if c.isalnum(): out.append(c)
        elif 0xC0 <= cp < 0x180:
            out.append(FOLD[cp - 0xC0])
    return ''.join(out)
EXTRA = {
    'US': 'usa|us|unitedstatesofamerica|america|amerika|forentestater|foreningsstaterne',
    'GB': 'uk|england|scotland|wales|northernireland|greatbritain|britain|storbritannien|'
          'storbritannia|skotland|skottland|nordirland|nordirland|unitedkingdom',
    'KR': 'southkorea|sydkorea|sorkorea|korea|republicofkorea',
    'KP': 'northkorea|nordkorea',
    'RU': 'russia|rusland|ryssland|russland',
    'NL': 'holland|netherlands|thenetherlands|nederlandene',
    'CZ': 'czechrepublic|tjekkiet|tjeckien|tsjekkia',
    'TR': 'turkey|tyrkiet|turkiet|tyrkia|turkiye',
    'DE': 'deutschland',
    'FI': 'suomi',
    'AT': 'osterreich',
    'CH': 'suisse|svizzera',
    'FO': 'faroe|faeroerne|faroes|faeroyane',
    'GL': 'gronland|kalaallitnunaat',
    'IS': 'island',
    'IR': 'iran',
    'VN': 'vietnam',
    'LA': 'laos',
    'SY': 'syria',
    'TW': 'taiwan',
    'BO': 'bolivia',
    'VE': 'venezuela',
    'TZ': 'tanzania',
    'MD': 'moldova|moldavien',
    'MK': 'macedonia|makedonien|makedonia|nordmakedonien',
    'CD': 'drc|drcongo|democraticrepublicofthecongo|demokratiskerepublikcongo|congokinshasa',
    'CG': 'congobrazzaville|republicofthecongo',
    'CI': 'ivorycoast|elfenbenskysten|cotedivoire',
    'SZ': 'swaziland|swasiland',
    'CV': 'capeverde|kapverde',
    'VA': 'vatican|vaticancity|vatikanet|vatikanen',
    'PS': 'palestine|palaestina|palestina',
    'FM': 'micronesia|mikronesien|mikronesia',
    'BN': 'brunei',
    'AE': 'uae|emirates|emiraterne',
    'BY': 'belarus|hviderusland|vitryssland|hviterussland',
    'CN': 'china|kina|prc',
    'HK': 'hongkong',
    'MO': 'macau|macao',
    'SA': 'saudiarabia|saudiarabien',
    'MM': 'burma|myanmar',
    'GR': 'greece|graekenland|grekland|hellas',
    'BA': 'bosnia|bosnien|bosnienhercegovina|bosniaandherzegovina',
    'XK': '',
}
alias = collections.defaultdict(set)  # folded -> codes
def add(code, name):
    if not name: return
    for part in name.split(';'):
        part = part.strip()
        variants = {part}
        m = re.match(r'^(.*?)\s*\((.*)\)$', part)
        if m: variants |= {m.group(1), m.group(2), m.group(1) + ' ' + m.group(2)}
        for v in list(variants):
            if ', ' in v:
                a, b = v.split(', ', 1)
                variants |= {a, b + ' ' + a}
        for v in variants:
            f = fold(v)
            if len(f) >= 3: alias[f].add(code)
for c in data:
    code = c['alpha_2']
    alias[code.lower()].add(code)
    alias[c['alpha_3'].lower()].add(code)
    names = [c['name'], c.get('common_name'), c.get('official_name')]
    for n in names:
        add(code, n)
        if n:
            for l in tr: add(code, tr[l].gettext(n))
for code, extra in EXTRA.items():
    for e in extra.split('|'):
        if e: alias[e] = {code}  # explicit: wins over an ambiguity
codes = {c['alpha_2'] for c in data}
entries = []
dropped = []
for f, cs in alias.items():
    if len(cs) == 1:
        entries.append((f, next(iter(cs))))
    else:
        dropped.append((f, sorted(cs)))
entries.sort()
with open('country_names.inc', 'w') as out:
    out.write('// Generated from Debian iso-codes 4.15 (iso_3166-1.json and its da, sv, nb and nn\n'
              '// translations) plus common names; see country.cc. Sorted by folded name.\n')
    for f, c in entries:
        out.write(f'    {{"{f}", "{c}"}},\n')
with open('fold.inc', 'w') as out:
    out.write('// ASCII folding of U+00C0..U+017F (NFKD without marks; æ->ae, ø->o, ß->ss ...).\n')
    for i in range(0, len(FOLD), 8):
        out.write('    ' + ' '.join(f'"{x}",' for x in FOLD[i:i+8]) + '\n')
print(len(entries), 'entries; dropped ambiguous:', dropped)
