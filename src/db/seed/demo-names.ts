/**
 * Name lists for the demo data set (demo-data.ts): people, communities, roads and providers.
 * Everything here is plain data; the generator draws from it with a seeded random source.
 */

/** A Chinese name part and its pinyin / English rendering. */
export type NamePair = readonly [zh: string, en: string];

/** Common surnames, weighted towards those frequent in Shanghai. */
export const SURNAMES: readonly (readonly [surname: string, weight: number])[] = [
  ['张', 8], ['王', 8], ['陈', 7], ['李', 6], ['徐', 5], ['周', 4], ['朱', 4], ['沈', 4], ['陆', 4], ['吴', 4],
  ['顾', 3], ['黄', 3], ['金', 3], ['杨', 3], ['刘', 3], ['施', 2], ['蔡', 2], ['姚', 2], ['钱', 2], ['胡', 2],
  ['曹', 2], ['孙', 2], ['许', 1.5], ['倪', 1.5], ['唐', 1.5], ['俞', 1.5], ['潘', 1.5], ['赵', 1.5], ['严', 1], ['龚', 1],
  ['范', 1], ['汪', 1], ['郑', 1], ['邱', 1], ['戴', 1], ['何', 1], ['高', 1], ['马', 1], ['宋', 1], ['袁', 1],
  ['叶', 1], ['丁', 1], ['邵', 1], ['冯', 1], ['林', 1], ['方', 1], ['蒋', 1], ['谢', 1], ['郭', 1], ['凌', 0.5],
  ['瞿', 0.5], ['卫', 0.5], ['奚', 0.5], ['毛', 0.5], ['程', 0.5], ['罗', 0.5], ['梁', 0.5], ['韩', 0.5], ['费', 0.5], ['薛', 0.5],
  ['秦', 0.5], ['杜', 0.5], ['汤', 0.5], ['葛', 0.5], ['盛', 0.5], ['夏', 0.5], ['郁', 0.5], ['傅', 0.5], ['陶', 0.5], ['储', 0.3],
];

/** Given names by generation: born before 1960, 1960–1984, from 1985. */
export const GIVEN_NAMES = {
  old: {
    male: [
      '建国', '国庆', '金根', '根宝', '福根', '荣华', '德明', '志刚', '永康', '国平', '振华', '文华', '宝林', '金生', '兴发',
      '长林', '海林', '耀华', '伟民', '仁杰', '建华', '德兴', '国良', '雪根', '明德', '为民', '国华', '桂生', '炳根', '正华',
      '关林', '家骏', '伯平', '友根', '鑫康',
    ],
    female: [
      '秀英', '桂英', '凤英', '美娣', '玉珍', '金妹', '彩娣', '秀珍', '月娥', '素珍', '凤珍', '桂芳', '佩华', '丽娟', '惠珍',
      '雅芳', '宝珍', '菊英', '杏娣', '巧英', '梅芳', '招娣', '根娣', '翠英', '玉兰', '淑贞', '慧芬', '静华', '月珍', '琴芳',
    ],
  },
  middle: {
    male: [
      '伟', '军', '勇', '强', '斌', '磊', '俊', '杰', '华', '明', '建华', '卫东', '晓东', '志强', '海峰', '国伟', '建军', '卫国',
      '立新', '晓峰', '文杰', '建平', '俊杰', '国栋', '春雷', '振宇', '忠良', '志伟', '永刚', '浩', '峰', '宏', '刚', '涛', '健',
    ],
    female: [
      '敏', '静', '丽', '红', '芳', '燕', '琳', '蕾', '丽华', '海燕', '晓红', '雪梅', '美华', '丽萍', '慧', '琴', '莉', '颖',
      '晓燕', '春燕', '丽娜', '文静', '佳', '婷', '艳', '晓静', '红梅', '秀兰', '玲', '娟', '丽君', '蓓蕾', '怡', '瑾', '晓雯',
    ],
  },
  young: {
    male: [
      '子轩', '浩然', '宇航', '俊杰', '思远', '一鸣', '梓豪', '晨阳', '天佑', '子墨', '嘉诚', '博文', '宇轩', '皓轩', '逸飞',
      '昊天', '弘毅', '家乐', '睿', '哲', '骏', '晨', '昊', '逸', '辰', '铭', '泽宇', '奕辰', '沐阳', '承泽', '瑞霖', '佳豪',
      '明轩', '亦凡', '嘉懿',
    ],
    female: [
      '欣怡', '梓涵', '雨桐', '一诺', '佳琪', '诗涵', '思琪', '雨萱', '可馨', '紫涵', '悦', '萱', '琪', '婧', '妍', '怡然',
      '梦瑶', '语嫣', '晓雯', '婉清', '静怡', '若曦', '诗琪', '欣然', '乐怡', '芷若', '子萱', '安琪', '雨欣', '思涵', '佳怡',
      '心怡', '嘉怡', '梓萱', '沁',
    ],
  },
} as const;

/** Parts of estate, lane and road names for residents' committees (居委会). */
export const ESTATE_NAME_PARTS: readonly NamePair[] = [
  ['康乐', 'Kangle'], ['长乐', 'Changle'], ['幸福', 'Xingfu'], ['兴华', 'Xinghua'], ['永和', 'Yonghe'], ['春晖', 'Chunhui'],
  ['红旗', 'Hongqi'], ['东风', 'Dongfeng'], ['新华', 'Xinhua'], ['民星', 'Minxing'], ['金杨', 'Jinyang'], ['明华', 'Minghua'],
  ['锦绣', 'Jinxiu'], ['桂林', 'Guilin'], ['梅园', 'Meiyuan'], ['樱花', 'Yinghua'], ['丽园', 'Liyuan'], ['虹光', 'Hongguang'],
  ['长青', 'Changqing'], ['和平', 'Heping'], ['建新', 'Jianxin'], ['安居', 'Anju'], ['友谊', 'Youyi'], ['延吉', 'Yanji'],
  ['控江', 'Kongjiang'], ['鞍山', 'Anshan'], ['曲阳', 'Quyang'], ['凉城', 'Liangcheng'], ['田林', 'Tianlin'], ['康健', 'Kangjian'],
  ['长风', 'Changfeng'], ['曹杨', 'Caoyang'], ['宜川', 'Yichuan'], ['甘泉', 'Ganquan'], ['真光', 'Zhenguang'], ['仙霞', 'Xianxia'],
  ['天山', 'Tianshan'], ['古北', 'Gubei'], ['龙华', 'Longhua'], ['漕溪', 'Caoxi'], ['枫林', 'Fenglin'], ['平凉', 'Pingliang'],
  ['定海', 'Dinghai'], ['临汾', 'Linfen'], ['共和', 'Gonghe'], ['芷江', 'Zhijiang'], ['瑞金', 'Ruijin'], ['思南', 'Sinan'],
  ['蓬莱', 'Penglai'], ['潍坊', 'Weifang'], ['塘桥', 'Tangqiao'], ['洋泾', 'Yangjing'], ['崂山', 'Laoshan'], ['绿苑', 'Lüyuan'],
  ['翠湖', 'Cuihu'], ['碧云', 'Biyun'], ['新苑', 'Xinyuan'], ['阳光', 'Yangguang'], ['玉兰', 'Yulan'], ['紫薇', 'Ziwei'],
  ['海棠', 'Haitang'], ['桃园', 'Taoyuan'], ['荷花', 'Hehua'], ['松柏', 'Songbai'], ['银杏', 'Yinxing'], ['聚丰', 'Jufeng'],
  ['华城', 'Huacheng'], ['万源', 'Wanyuan'], ['古美', 'Gumei'], ['平阳', 'Pingyang'], ['航华', 'Hanghua'], ['春申', 'Chunshen'],
  ['莲花', 'Lianhua'], ['景谷', 'Jinggu'], ['名都', 'Mingdu'], ['锦江', 'Jinjiang'], ['东明', 'Dongming'], ['上南', 'Shangnan'],
  ['德州', 'Dezhou'], ['泰和', 'Taihe'], ['通河', 'Tonghe'], ['呼玛', 'Huma'], ['乾溪', 'Qianxi'], ['淞滨', 'Songbin'],
  ['菊泉', 'Juquan'], ['美兰', 'Meilan'], ['博园', 'Boyuan'], ['清河', 'Qinghe'], ['塔城', 'Tacheng'], ['迎园', 'Yingyuan'],
  ['秀城', 'Xiucheng'], ['西林', 'Xilin'], ['方松', 'Fangsong'], ['云间', 'Yunjian'], ['岳阳', 'Yueyang'], ['夏阳', 'Xiayang'],
  ['盈浦', 'Yingpu'], ['香花', 'Xianghua'], ['复兴', 'Fuxing'], ['建国', 'Jianguo'], ['光明', 'Guangming'], ['新风', 'Xinfeng'],
  ['育才', 'Yucai'], ['文化', 'Wenhua'], ['花园', 'Huayuan'], ['金桂', 'Jingui'], ['兰花', 'Lanhua'], ['嘉园', 'Jiayuan'],
  ['望春', 'Wangchun'], ['晨光', 'Chenguang'], ['振兴', 'Zhenxing'], ['宝华', 'Baohua'], ['协和', 'Xiehe'], ['双阳', 'Shuangyang'],
];

/** Suffixes that turn an estate name part into a residents' community name ("" keeps the bare part). */
export const ESTATE_SUFFIXES: readonly (readonly [zh: string, en: string, weight: number])[] = [
  ['新村', 'Xincun', 6], ['', '', 5], ['一村', 'No. 1 Xincun', 2], ['二村', 'No. 2 Xincun', 2], ['三村', 'No. 3 Xincun', 1],
  ['苑', 'Yuan', 3], ['花园', 'Garden', 2], ['小区', 'Estate', 2], ['家园', 'Jiayuan', 2], ['公寓', 'Apartments', 1],
  ['坊', 'Fang', 1], ['里', 'Li', 1], ['路', 'Road', 3], ['东', 'East', 1], ['西', 'West', 1], ['北', 'North', 1], ['南', 'South', 1],
];

/** Village name parts for villagers' committees (村委会). */
export const VILLAGE_NAME_PARTS: readonly NamePair[] = [
  ['张马', 'Zhangma'], ['新丰', 'Xinfeng'], ['永乐', 'Yongle'], ['南石', 'Nanshi'], ['沈巷', 'Shenxiang'], ['北庄', 'Beizhuang'],
  ['东湖', 'Donghu'], ['金星', 'Jinxing'], ['建新', 'Jianxin'], ['友好', 'Youhao'], ['联民', 'Lianmin'], ['胜利', 'Shengli'],
  ['红光', 'Hongguang'], ['光明', 'Guangming'], ['勤丰', 'Qinfeng'], ['星火', 'Xinghuo'], ['前进', 'Qianjin'], ['新华', 'Xinhua'],
  ['中心', 'Zhongxin'], ['五四', 'Wusi'], ['民主', 'Minzhu'], ['跃进', 'Yuejin'], ['永红', 'Yonghong'], ['徐家', 'Xujia'],
  ['朱家', 'Zhujia'], ['王家', 'Wangjia'], ['李家', 'Lijia'], ['钱家', 'Qianjia'], ['顾家', 'Gujia'], ['塘湾', 'Tangwan'],
  ['河头', 'Hetou'], ['北桥', 'Beiqiao'], ['西湖', 'Xihu'], ['杨湾', 'Yangwan'], ['新港', 'Xingang'], ['横港', 'Henggang'],
  ['秀龙', 'Xiulong'], ['蔡家', 'Caijia'], ['金光', 'Jinguang'], ['群乐', 'Qunle'], ['合兴', 'Hexing'], ['万福', 'Wanfu'],
  ['新民', 'Xinmin'], ['新建', 'Xinjian'], ['立新', 'Lixin'], ['丰收', 'Fengshou'], ['三新', 'Sanxin'], ['四联', 'Silian'],
  ['八一', 'Bayi'], ['红星', 'Hongxing'], ['长春', 'Changchun'], ['泾南', 'Jingnan'], ['泖新', 'Maoxin'], ['腰泾', 'Yaojing'],
  ['潘家', 'Panjia'], ['火星', 'Huoxing'], ['团结', 'Tuanjie'], ['太平', 'Taiping'], ['兴隆', 'Xinglong'], ['永丰', 'Yongfeng'],
  ['金湾', 'Jinwan'], ['沙港', 'Shagang'], ['江海', 'Jianghai'], ['园艺', 'Yuanyi'], ['蟠龙', 'Panlong'], ['东风', 'Dongfeng'],
  ['新农', 'Xinnong'], ['利民', 'Limin'], ['育民', 'Yumin'], ['协进', 'Xiejin'], ['南新', 'Nanxin'], ['北新', 'Beixin'],
  ['陆家', 'Lujia'], ['吴房', 'Wufang'], ['荷塘', 'Hetang'], ['张泾', 'Zhangjing'], ['界泾', 'Jiejing'], ['新义', 'Xinyi'],
];

/** Real-looking road names per district code, for addresses. */
export const ROADS_BY_DISTRICT: Readonly<Record<string, readonly string[]>> = {
  '310101': ['福州路', '西藏南路', '中华路', '复兴东路', '陆家浜路', '瞿溪路', '建国东路', '淮海中路', '河南南路', '蒙自路', '制造局路', '南车站路'],
  '310104': ['天平路', '肇嘉浜路', '漕溪北路', '龙华西路', '田林路', '钦州路', '宜山路', '凯旋路', '斜土路', '龙吴路', '虹梅路', '康健路'],
  '310105': ['愚园路', '江苏路', '新华路', '天山路', '仙霞路', '延安西路', '中山西路', '古北路', '哈密路', '金钟路', '剑河路', '水城路'],
  '310106': ['北京西路', '江宁路', '武定路', '胶州路', '共和新路', '延长中路', '大统路', '天目西路', '场中路', '临汾路', '万荣路', '平型关路'],
  '310107': ['曹杨路', '武宁路', '长寿路', '真如路', '铜川路', '金沙江路', '梅川路', '兰溪路', '宜川路', '光新路', '中山北路', '桃浦路'],
  '310109': ['四川北路', '东长治路', '海宁路', '溧阳路', '曲阳路', '广中路', '凉城路', '汶水东路', '大连西路', '欧阳路', '水电路', '东江湾路'],
  '310110': ['控江路', '长阳路', '平凉路', '黄兴路', '国权路', '政立路', '延吉中路', '鞍山路', '殷行路', '翔殷路', '周家嘴路', '营口路'],
  '310112': ['莘松路', '七莘路', '沪闵路', '都市路', '颛兴路', '春申路', '虹井路', '江川路', '浦锦路', '虹梅南路', '古美路', '吴泾路'],
  '310113': ['牡丹江路', '友谊路', '泰和路', '通河路', '长江西路', '殷高西路', '呼兰路', '宝杨路', '共康路', '沪太路', '杨泰路', '罗新路'],
  '310114': ['城中路', '博乐路', '塔城路', '清河路', '沪宜公路', '墨玉路', '曹安公路', '叶城路', '陈翔路', '胜辛路', '嘉唐公路', '安亭路'],
  '310115': ['浦东南路', '张杨路', '东方路', '崂山路', '潍坊路', '源深路', '金桥路', '罗山路', '上南路', '云台路', '川沙路', '沪南公路', '周康路', '秀浦路', '杨高南路', '海阳路'],
  '310116': ['卫零路', '蒙山路', '龙航路', '卫清西路', '金山大道', '朱平公路', '亭枫公路', '板桥西路', '石化大道', '沪杭公路'],
  '310117': ['人民北路', '中山中路', '荣乐中路', '谷阳北路', '乐都路', '沪松公路', '新松江路', '江川北路', '九亭大街', '泗通路'],
  '310118': ['城中北路', '公园路', '华青路', '外青松公路', '盈港路', '漕盈路', '沪青平公路', '诸光路', '崧泽大道', '青赵公路'],
  '310120': ['南桥路', '解放东路', '环城东路', '金海公路', '沪杭公路', '川南奉公路', '望园路', '江海路', '运河北路', '人民中路'],
  '310151': ['八一路', '人民路', '南门路', '鳌山路', '北门路', '东门路', '陈海公路', '崇明大道', '凤凰公路', '港西公路'],
};

/** Brand names (字号) of providers. */
export const PROVIDER_BRANDS: readonly NamePair[] = [
  ['乐群', 'Lequn'], ['阳光', 'Yangguang'], ['馨和', 'Xinhe'], ['恩谷', 'Engu'], ['百汇', 'Baihui'], ['爱心', 'Aixin'],
  ['福苑', 'Fuyuan'], ['暖阳', 'Nuanyang'], ['善佑', 'Shanyou'], ['同心', 'Tongxin'], ['益友', 'Yiyou'], ['华爱', 'Hua\'ai'],
  ['新途', 'Xintu'], ['乐耆', 'Leqi'], ['尚善', 'Shangshan'], ['仁德', 'Rende'], ['安康', 'Ankang'], ['慧心', 'Huixin'],
  ['启明', 'Qiming'], ['悦享', 'Yuexiang'], ['携手', 'Xieshou'], ['和乐', 'Hele'], ['睿智', 'Ruizhi'], ['德馨', 'Dexin'],
  ['好邻里', 'Haolinli'], ['美好', 'Meihao'], ['晨曦', 'Chenxi'], ['春雨', 'Chunyu'], ['常青', 'Changqing'], ['颐乐', 'Yile'],
  ['夕阳红', 'Xiyanghong'], ['久久', 'Jiujiu'], ['同行', 'Tongxing'], ['心语', 'Xinyu'], ['彩虹', 'Caihong'], ['绿洲', 'Lüzhou'],
  ['一心', 'Yixin'], ['众仁', 'Zhongren'], ['和睦', 'Hemu'], ['友邻', 'Youlin'], ['益家', 'Yijia'], ['恒爱', 'Heng\'ai'],
  ['汇善', 'Huishan'], ['惠民', 'Huimin'], ['凝心', 'Ningxin'], ['康乐', 'Kangle'], ['青翼', 'Qingyi'], ['筑梦', 'Zhumeng'],
  ['领航', 'Linghang'], ['扬帆', 'Yangfan'], ['微光', 'Weiguang'], ['蒲公英', 'Pugongying'], ['向日葵', 'Xiangrikui'], ['星星', 'Xingxing'],
  ['心桥', 'Xinqiao'], ['知行', 'Zhixing'], ['仁爱', 'Ren\'ai'], ['安心', 'Anxin'], ['福寿', 'Fushou'], ['乐龄', 'Leling'],
  ['益邻', 'Yilin'], ['民生', 'Minsheng'], ['众安', 'Zhong\'an'], ['温馨', 'Wenxin'], ['如意', 'Ruyi'], ['蓝天', 'Lantian'],
  ['佳和', 'Jiahe'], ['绿叶', 'Lüye'], ['明德', 'Mingde'], ['至善', 'Zhishan'], ['博爱', 'Bo\'ai'], ['厚德', 'Houde'],
  ['乐助', 'Lezhu'], ['同乐', 'Tongle'], ['馨康', 'Xinkang'], ['健桥', 'Jianqiao'], ['欣悦', 'Xinyue'], ['润心', 'Runxin'],
];

/** Mobile number prefixes in use on the mainland. */
export const MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158',
  '159', '176', '177', '180', '181', '183', '185', '186', '187', '188', '189', '198', '199',
];
