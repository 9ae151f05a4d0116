// The imsmanifest.xml of a tcplab SCORM package, SCORM 1.2 or SCORM 2004
// 4th edition: one organization whose items are the lessons, each an SCO
// launched as index.html plus the item's parameters. Shared by the build
// (web/scorm-package.mjs, under node) and the course builder page (in the
// browser), so both write the same manifests.

// The files of the page a package carries (the large Chinese fallback font
// is left out: it serves only rare characters of author lessons, and its
// absence is reported in the page).
export const PAGE_FILES = ['index.html', 'index.js', 'index.wasm', 'index.deferred.wasm', 'shell.js', 'shell.css', 'favicon.svg',
  'scorm.js', 'zh-font.ttf', 'lessons.json'];

const VERSIONS = ['1.2', '2004'];

export function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// An xs:ID: a letter first, then letters, digits, '-', '_' and '.'.
export function xmlId(s) {
  const clean = String(s).replace(/[^A-Za-z0-9._-]/g, '_');
  return /^[A-Za-z]/.test(clean) ? clean : 'id_' + clean;
}

// The launch parameters of one lesson (everything the SCO needs).
//   lesson: a built-in lesson id, or lessonUrl: an author lesson's address;
//   lang: 'en' | 'zh' | '' (the browser's); mastery: 0-100 or null;
//   seedPolicy: 'learner' | 'random' | 'fixed' (then seed); locked.
export function launchParameters(version, o) {
  const p = new URLSearchParams();
  if (o.lessonUrl) p.set('lessonUrl', o.lessonUrl);
  else p.set('lesson', o.lesson);
  p.set('mode', 'lesson');
  if (o.lang) p.set('lang', o.lang);
  p.set('scorm', version);
  if (o.locked !== false) p.set('lock', '1');
  if (o.mastery !== null && o.mastery !== undefined) p.set('mastery', String(o.mastery));
  if (o.seedPolicy === 'fixed') p.set('seed', String(o.seed));
  else p.set('seedPolicy', o.seedPolicy || 'learner');
  return '?' + p.toString();
}

function checkOptions(o) {
  if (!VERSIONS.includes(o.version)) throw new Error(`SCORM version must be 1.2 or 2004, not ${o.version}`);
  if (!o.items || o.items.length === 0) throw new Error('a package needs at least one lesson');
  for (const it of o.items) {
    if (it.mastery !== null && it.mastery !== undefined && !(it.mastery >= 0 && it.mastery <= 100))
      throw new Error(`mastery score ${it.mastery} is not from 0 to 100`);
  }
}

function item12(it, ref) {
  const mastery = it.mastery === null || it.mastery === undefined ? ''
    : `\n        <adlcp:masteryscore>${Math.round(it.mastery)}</adlcp:masteryscore>`;
  return `      <item identifier="${xmlId('item-' + it.id)}" identifierref="${ref}" isvisible="true"` +
    ` parameters="${xmlEscape(it.parameters)}">\n        <title>${xmlEscape(it.title)}</title>${mastery}\n      </item>`;
}

function item2004(it, ref) {
  // The mastery score becomes the primary objective's minimum normalized
  // measure: the LMS passes it to the SCO as cmi.scaled_passing_score.
  const seq = it.mastery === null || it.mastery === undefined ? '' : `
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="${xmlId('mastery-' + it.id)}" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>${(it.mastery / 100).toFixed(2)}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>`;
  return `      <item identifier="${xmlId('item-' + it.id)}" identifierref="${ref}" isvisible="true"` +
    ` parameters="${xmlEscape(it.parameters)}">\n        <title>${xmlEscape(it.title)}</title>${seq}\n      </item>`;
}

const HEAD_12 = `<manifest identifier="%ID%" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>`;

const HEAD_2004 = `<manifest identifier="%ID%" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>`;

// o: { version: '1.2' | '2004', identifier, title, items: [{ id, title,
// parameters (from launchParameters), mastery }], files: [paths] }
export function buildManifest(o) {
  checkOptions(o);
  const v12 = o.version === '1.2';
  const ref = 'res-tcplab-sco';
  const items = o.items.map((it) => (v12 ? item12(it, ref) : item2004(it, ref))).join('\n');
  const files = o.files.map((f) => `      <file href="${xmlEscape(f)}"/>`).join('\n');
  const type = v12 ? 'adlcp:scormtype' : 'adlcp:scormType';
  return `<?xml version="1.0" encoding="UTF-8"?>
${(v12 ? HEAD_12 : HEAD_2004).replace('%ID%', xmlId(o.identifier))}
  <organizations default="org-tcplab">
    <organization identifier="org-tcplab">
      <title>${xmlEscape(o.title)}</title>
${items}
    </organization>
  </organizations>
  <resources>
    <resource identifier="${ref}" type="webcontent" ${type}="sco" href="index.html">
${files}
    </resource>
  </resources>
</manifest>
`;
}
