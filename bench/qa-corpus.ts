/**
 * The QA benchmark's corpus: one press release written in English and translated by hand into
 * nine wire languages, each translation reformatting figures, dates and times the way its locale
 * writes them (`1,2 Mrd. US-Dollar`, `12億ドル`, `5 ธันวาคม 2569`, `١٠ ديسمبر`). Fields are lists of
 * sentences, so an injection can drop one exactly.
 */
export interface CorpusDocument {
  language: string;
  /** Joins sentences: '' for Chinese and Japanese, ' ' elsewhere. */
  joiner: string;
  headline: string;
  body: string[][];
}

export const DO_NOT_TRANSLATE = ['Acme Robotics', 'Jane Doe'];

export const SOURCE: CorpusDocument = {
  language: 'en',
  joiner: ' ',
  headline: 'Acme Robotics reports record revenue of $1.2 billion',
  body: [
    ['Acme Robotics (NASDAQ: ACME) reported third-quarter revenue of $345.6 million, up 12.5% from a year earlier.', 'Operating margin reached 18.2%, and the company shipped 1,250,000 units.'],
    ['The company will hold a conference call on Thursday, December 10, 2026 at 10:00 a.m. ET.', 'Investors can register at https://ir.acme.example.com/q3 or write to press@acme.example.com.'],
    ['“We are proud of our team,” said Jane Doe, chief executive officer of Acme Robotics.', '“Our customers in 35 countries rely on us, and we expect 15–20% growth in 2027.”'],
  ],
};

export const TRANSLATIONS: CorpusDocument[] = [
  {
    language: 'de',
    joiner: ' ',
    headline: 'Acme Robotics meldet Rekordumsatz von 1,2 Mrd. US-Dollar',
    body: [
      [
        'Acme Robotics (NASDAQ: ACME) meldete für das dritte Quartal einen Umsatz von 345,6 Mio. US-Dollar, 12,5 % mehr als im Vorjahr.',
        'Die operative Marge erreichte 18,2 %, und das Unternehmen lieferte 1.250.000 Einheiten aus.',
      ],
      [
        'Das Unternehmen hält am Donnerstag, dem 10. Dezember 2026, um 10:00 Uhr ET eine Telefonkonferenz ab.',
        'Investoren können sich unter https://ir.acme.example.com/q3 anmelden oder an press@acme.example.com schreiben.',
      ],
      ['„Wir sind stolz auf unser Team“, sagte Jane Doe, Chief Executive Officer von Acme Robotics.', '„Unsere Kunden in 35 Ländern verlassen sich auf uns, und wir erwarten für 2027 ein Wachstum von 15–20 %.“'],
    ],
  },
  {
    language: 'fr',
    joiner: ' ',
    headline: 'Acme Robotics annonce un chiffre d’affaires record de 1,2\u00a0milliard de dollars',
    body: [
      [
        'Acme Robotics (NASDAQ: ACME) a annoncé un chiffre d’affaires de 345,6\u00a0millions de dollars au troisième trimestre, en hausse de 12,5\u00a0% sur un an.',
        'La marge opérationnelle a atteint 18,2\u00a0% et la société a livré 1\u202f250\u202f000\u00a0unités.',
      ],
      [
        'La société tiendra une conférence téléphonique le jeudi 10\u00a0décembre 2026 à 10\u00a0h\u00a000 (heure de l’Est).',
        'Les investisseurs peuvent s’inscrire sur https://ir.acme.example.com/q3 ou écrire à press@acme.example.com.',
      ],
      [
        '« Nous sommes fiers de notre équipe », a déclaré Jane Doe, directrice générale d’Acme Robotics.',
        '« Nos clients dans 35\u00a0pays comptent sur nous, et nous prévoyons une croissance de 15 à 20\u00a0% en 2027. »',
      ],
    ],
  },
  {
    language: 'es',
    joiner: ' ',
    headline: 'Acme Robotics registra ingresos récord de 1.200 millones de dólares',
    body: [
      [
        'Acme Robotics (NASDAQ: ACME) informó unos ingresos del tercer trimestre de 345,6 millones de dólares, un 12,5 % más que hace un año.',
        'El margen operativo alcanzó el 18,2 % y la empresa envió 1.250.000 unidades.',
      ],
      [
        'La empresa celebrará una conferencia telefónica el jueves 10 de diciembre de 2026 a las 10:00 (hora del Este).',
        'Los inversores pueden registrarse en https://ir.acme.example.com/q3 o escribir a press@acme.example.com.',
      ],
      ['«Estamos orgullosos de nuestro equipo», dijo Jane Doe, directora ejecutiva de Acme Robotics.', '«Nuestros clientes en 35 países confían en nosotros y esperamos un crecimiento del 15-20 % en 2027».'],
    ],
  },
  {
    language: 'ru',
    joiner: ' ',
    headline: 'Acme Robotics сообщает о рекордной выручке в размере 1,2 млрд долларов США',
    body: [
      [
        'Acme Robotics (NASDAQ: ACME) сообщила о выручке за третий квартал в размере 345,6 млн долларов США, что на 12,5 % больше, чем годом ранее.',
        'Операционная маржа достигла 18,2 %, а компания отгрузила 1\u00a0250\u00a0000 единиц.',
      ],
      [
        'Компания проведет телефонную конференцию в четверг, 10 декабря 2026 г., в 10:00 по восточному времени.',
        'Инвесторы могут зарегистрироваться на https://ir.acme.example.com/q3 или написать на press@acme.example.com.',
      ],
      ['«Мы гордимся нашей командой», — сказала Jane Doe, генеральный директор Acme Robotics.', '«Наши клиенты в 35 странах полагаются на нас, и мы ожидаем роста на 15–20 % в 2027 году»'],
    ],
  },
  {
    language: 'ja',
    joiner: '',
    headline: 'Acme Robotics、売上高が過去最高の12億ドルに',
    body: [
      ['Acme Robotics（NASDAQ: ACME）は、第3四半期の売上高が前年同期比12.5％増の3億4560万ドルになったと発表しました。', '営業利益率は18.2％に達し、同社は125万台を出荷しました。'],
      ['同社は2026年12月10日（木曜日）午前10時（米国東部時間）に電話会議を開催します。', '投資家は https://ir.acme.example.com/q3 から登録するか、press@acme.example.com までご連絡ください。'],
      ['「私たちはチームを誇りに思います」と、Acme Robotics の最高経営責任者 Jane Doe は述べています。', '「35カ国のお客様が私たちを頼りにしており、2027年には15～20％の成長を見込んでいます」'],
    ],
  },
  {
    language: 'zh-Hans',
    joiner: '',
    headline: 'Acme Robotics 营收创纪录，达12亿美元',
    body: [
      ['Acme Robotics（NASDAQ: ACME）公布第三季度营收为3.456亿美元，同比增长12.5%。', '营业利润率达到18.2%，公司共交付125万台设备。'],
      ['公司将于2026年12月10日星期四美国东部时间上午10点召开电话会议。', '投资者可通过 https://ir.acme.example.com/q3 注册，或发送邮件至 press@acme.example.com。'],
      ['“我们为我们的团队感到自豪，”Acme Robotics 首席执行官 Jane Doe 表示。', '“我们在35个国家的客户都信赖我们，我们预计2027年将增长15%至20%。”'],
    ],
  },
  {
    language: 'ko',
    joiner: ' ',
    headline: 'Acme Robotics, 사상 최대 매출 12억 달러 기록',
    body: [
      ['Acme Robotics(NASDAQ: ACME)는 3분기 매출이 전년 대비 12.5% 증가한 3억 4,560만 달러라고 발표했다.', '영업이익률은 18.2%에 달했으며 회사는 125만 대를 출하했다.'],
      ['회사는 2026년 12월 10일 목요일 미국 동부시간 오전 10시에 전화 회의를 개최한다.', '투자자는 https://ir.acme.example.com/q3 에서 등록하거나 press@acme.example.com 으로 문의할 수 있다.'],
      ['“우리 팀이 자랑스럽다”고 Acme Robotics의 최고경영자 Jane Doe는 말했다.', '“35개국의 고객이 우리를 신뢰하고 있으며 2027년에는 15~20%의 성장을 기대한다.”'],
    ],
  },
  {
    language: 'th',
    joiner: ' ',
    headline: 'Acme Robotics รายงานรายได้สูงสุดเป็นประวัติการณ์ 1.2 พันล้านดอลลาร์สหรัฐ',
    body: [
      ['Acme Robotics (NASDAQ: ACME) รายงานรายได้ไตรมาสที่ 3 ที่ 345.6 ล้านดอลลาร์สหรัฐ เพิ่มขึ้น 12.5% จากปีก่อน', 'อัตรากำไรจากการดำเนินงานอยู่ที่ 18.2% และบริษัทส่งมอบสินค้า 1,250,000 หน่วย'],
      ['บริษัทจะจัดการประชุมทางโทรศัพท์ในวันพฤหัสบดีที่ 10 ธันวาคม 2569 เวลา 10.00 น. ตามเวลาฝั่งตะวันออกของสหรัฐฯ', 'นักลงทุนสามารถลงทะเบียนได้ที่ https://ir.acme.example.com/q3 หรือติดต่อ press@acme.example.com'],
      ['“เราภูมิใจในทีมของเรา” Jane Doe ประธานเจ้าหน้าที่บริหารของ Acme Robotics กล่าว', '“ลูกค้าใน 35 ประเทศไว้วางใจเรา และเราคาดว่าจะเติบโต 15–20% ในปี 2570”'],
    ],
  },
  {
    language: 'ar',
    joiner: ' ',
    headline: 'Acme Robotics تسجل إيرادات قياسية بقيمة 1.2 مليار دولار',
    body: [
      ['أعلنت Acme Robotics (NASDAQ: ACME) عن إيرادات الربع الثالث البالغة ٣٤٥٫٦ مليون دولار، بزيادة ١٢٫٥٪ عن العام السابق.', 'وبلغ هامش التشغيل ١٨٫٢٪، وشحنت الشركة ١٬٢٥٠٬٠٠٠ وحدة.'],
      ['ستعقد الشركة مؤتمرًا هاتفيًا يوم الخميس 10 ديسمبر 2026 في الساعة 10:00 صباحًا بتوقيت شرق الولايات المتحدة.', 'ويمكن للمستثمرين التسجيل عبر https://ir.acme.example.com/q3 أو مراسلة press@acme.example.com.'],
      ['«نحن فخورون بفريقنا»، قالت Jane Doe، الرئيسة التنفيذية لشركة Acme Robotics.', '«يعتمد علينا عملاؤنا في 35 دولة، ونتوقع نموًا بنسبة 15-20% في عام 2027».'],
    ],
  },
];
