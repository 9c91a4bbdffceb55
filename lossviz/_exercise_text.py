"""Texts of lossviz.exercises in both scripts (zh-TW written, zh-CN its conversion).

Data, not code: one dict of report messages (``MESSAGES``) and one of each exercise's title and
hints (``EXERCISE_TEXT``), kept apart from the checkers so the ~550 lines of prose do not hide
the logic.  A test checks that every zh-CN string equals tools.convert.to_zh_cn of the zh-TW one.
"""
# ruff: noqa: E501

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    'ok': {"zh-TW": '答對了：{title}', "zh-CN": '答对了：{title}'},
    'unanswered': {"zh-TW": '還沒作答：{title}', "zh-CN": '还没作答：{title}'},
    'wrong': {"zh-TW": '還不對：{title}', "zh-CN": '还不对：{title}'},
    'todo_fn': {"zh-TW": '把函式裡的 `...` 換成你的程式碼，再執行這個儲存格。', "zh-CN": '把函数里的 `...` 换成你的代码，再运行这个单元格。'},
    'todo_value': {"zh-TW": '把 `None` 換成你的答案，再執行這個儲存格。', "zh-CN": '把 `None` 换成你的答案，再运行这个单元格。'},
    'checked': {"zh-TW": '檢查過（在你看不到的輸入上）：{items}', "zh-CN": '检查过（在你看不到的输入上）：{items}'},
    'item_f64': {"zh-TW": 'float64 的值', "zh-CN": 'float64 的值'},
    'item_f32': {"zh-TW": 'float32 的值', "zh-CN": 'float32 的值'},
    'item_extreme': {"zh-TW": '極端輸入', "zh-CN": '极端输入'},
    'item_reduction': {"zh-TW": 'reduction 的三種寫法', "zh-CN": 'reduction 的三种写法'},
    'item_param': {"zh-TW": '參數 {name}', "zh-CN": '参数 {name}'},
    'item_autograd': {"zh-TW": 'autograd 梯度', "zh-CN": 'autograd 梯度'},
    'item_grad': {"zh-TW": '你的梯度函式', "zh-CN": '你的梯度函数'},
    'item_hidden': {"zh-TW": '隱藏的資料', "zh-CN": '隐藏的数据'},
    'title_loss': {"zh-TW": '{name}（`{id}`）', "zh-CN": '{name}（`{id}`）'},
    'title_exercise': {"zh-TW": '練習 {id}', "zh-CN": '练习 {id}'},
    'list_sep': {"zh-TW": '、', "zh-CN": '、'},
    'problem': {"zh-TW": '{where}：{subject}{what}', "zh-CN": '{where}：{subject}{what}'},
    'where_f64': {"zh-TW": '隱藏的 float64 輸入', "zh-CN": '隐藏的 float64 输入'},
    'where_f32': {"zh-TW": '隱藏的 float32 輸入', "zh-CN": '隐藏的 float32 输入'},
    'where_extreme': {"zh-TW": '極端輸入（{dtype}）', "zh-CN": '极端输入（{dtype}）'},
    'where_reduction': {"zh-TW": "{where}，reduction='{reduction}'", "zh-CN": "{where}，reduction='{reduction}'"},
    'where_param': {"zh-TW": '{where}，{name}={value}', "zh-CN": '{where}，{name}={value}'},
    'where_default': {"zh-TW": '{where}，不傳 reduction（預設要平均）', "zh-CN": '{where}，不传 reduction（默认要平均）'},
    'subj_fn': {"zh-TW": '你的函式', "zh-CN": '你的函数'},
    'subj_auto': {"zh-TW": '對你的函式做 autograd 得到的梯度', "zh-CN": '对你的函数做 autograd 得到的梯度'},
    'subj_grad': {"zh-TW": '你的梯度函式', "zh-CN": '你的梯度函数'},
    'raised': {"zh-TW": '丟出 {exc}：{msg}', "zh-CN": '丢出 {exc}：{msg}'},
    'backward_raised': {"zh-TW": '呼叫 backward() 時丟出 {exc}：{msg}', "zh-CN": '调用 backward() 时丢出 {exc}：{msg}'},
    'returns_none': {"zh-TW": '回傳 None（忘了 return？）', "zh-CN": '返回 None（忘了 return？）'},
    'grad_unwritten': {"zh-TW": '還沒寫（它回傳 None）', "zh-CN": '还没写（它返回 None）'},
    'returns_float': {"zh-TW": '回傳 Python 的 {type}，不是張量：請用 torch 運算並回傳張量（.item() 或 float() 會切斷 autograd）', "zh-CN": '返回 Python 的 {type}，不是张量：请用 torch 运算并返回张量（.item() 或 float() 会切断 autograd）'},
    'returns_type': {"zh-TW": '回傳 {type}，應該是 torch.Tensor', "zh-CN": '返回 {type}，应该是 torch.Tensor'},
    'not_reduced': {"zh-TW": '回傳形狀 {got} 的張量，應該是一個數（形狀 ()）：每個元素的損失還沒有合成一個數', "zh-CN": '返回形状 {got} 的张量，应该是一个数（形状 ()）：每个元素的损失还没有合成一个数'},
    'reduced_none': {"zh-TW": "回傳形狀 {got}，reduction='none' 要每個樣本一個損失（形狀 {want}）", "zh-CN": "返回形状 {got}，reduction='none' 要每个样本一个损失（形状 {want}）"},
    'wrong_shape': {"zh-TW": '回傳形狀 {got}，應該是 {want}', "zh-CN": '返回形状 {got}，应该是 {want}'},
    'wrong_dtype': {"zh-TW": '回傳 {got}，輸入卻是 {want}：結果要和輸入同一個 dtype', "zh-CN": '返回 {got}，输入却是 {want}：结果要和输入同一个 dtype'},
    'nan': {"zh-TW": '有 NaN', "zh-CN": '有 NaN'},
    'overflow': {"zh-TW": '溢位成 inf', "zh-CN": '溢出成 inf'},
    'unstable': {"zh-TW": '在極端輸入上得到 {what}：數值不穩定（exp 溢位或 log 0）；改寫成穩定的形式，例如 log-sum-exp 或 softplus', "zh-CN": '在极端输入上得到 {what}：数值不稳定（exp 溢出或 log 0）；改写成稳定的形式，例如 log-sum-exp 或 softplus'},
    'sum_for_mean': {"zh-TW": "對應的是總和，這裡要的是平均（reduction='mean'）", "zh-CN": "对应的是总和，这里要的是平均（reduction='mean'）"},
    'mean_for_sum': {"zh-TW": "對應的是平均，這裡要的是總和（reduction='sum'）", "zh-CN": "对应的是平均，这里要的是总和（reduction='sum'）"},
    'sign': {"zh-TW": '正負號相反', "zh-CN": '正负号相反'},
    'factor_2': {"zh-TW": '是正確值的 2 倍', "zh-CN": '是正确值的 2 倍'},
    'factor_half': {"zh-TW": '只有正確值的一半', "zh-CN": '只有正确值的一半'},
    'param_ignored': {"zh-TW": '和 {name} 取預設值時一樣：參數 {name} 沒有用到', "zh-CN": '和 {name} 取默认值时一样：参数 {name} 没有用到'},
    'off_extreme': {"zh-TW": '和正確值的差距超過容許誤差（相對 {tol}）；一般輸入都對，只有極端輸入錯，通常是精度流失（例如 log(1 − σ(x)) 變成 log 0，或用了 clamp）', "zh-CN": '和正确值的差距超过容许误差（相对 {tol}）；一般输入都对，只有极端输入错，通常是精度流失（例如 log(1 − σ(x)) 变成 log 0，或用了 clamp）'},
    'off': {"zh-TW": '和正確值的差距超過容許誤差（相對 {tol}）', "zh-CN": '和正确值的差距超过容许误差（相对 {tol}）'},
    'detached': {"zh-TW": '沒有連到輸入的計算圖（requires_grad 是 False）：.item()、numpy 或 torch.tensor(...) 切斷了 autograd', "zh-CN": '没有连到输入的计算图（requires_grad 是 False）：.item()、numpy 或 torch.tensor(...) 切断了 autograd'},
    'grad_nan': {"zh-TW": '有 NaN（常見原因：torch.where 的另一個分支是 inf 或 NaN，它的梯度一樣會傳回來）', "zh-CN": '有 NaN（常见原因：torch.where 的另一个分支是 inf 或 NaN，它的梯度一样会传回来）'},
    'grad_zero': {"zh-TW": '是 0，正確的梯度不是：clamp、detach 或 round 擋住了梯度', "zh-CN": '是 0，正确的梯度不是：clamp、detach 或 round 挡住了梯度'},
    'answer_number': {"zh-TW": '答案應該是一個數（int 或 float），你給的是 {got}', "zh-CN": '答案应该是一个数（int 或 float），你给的是 {got}'},
    'answer_integer': {"zh-TW": '答案應該是一個整數，你給的是 {got}', "zh-CN": '答案应该是一个整数，你给的是 {got}'},
    'answer_numbers': {"zh-TW": '答案應該是 {n} 個數，寫成 ({example})，你給的是 {got}', "zh-CN": '答案应该是 {n} 个数，写成 ({example})，你给的是 {got}'},
    'answer_finite': {"zh-TW": '答案應該是有限的數，你給的是 {got}', "zh-CN": '答案应该是有限的数，你给的是 {got}'},
    'answer_function': {"zh-TW": '這一題要交一個函式，你給的是 {got}', "zh-CN": '这一题要交一个函数，你给的是 {got}'},
    'answer_wrong': {"zh-TW": '還不是正確的值。{hint}', "zh-CN": '还不是正确的值。{hint}'},
    'answer_close': {"zh-TW": '很接近了，但還差一點：請算到至少 {digits} 位有效數字（容許的相對誤差是 1e-4）。', "zh-CN": '很接近了，但还差一点：请算到至少 {digits} 位有效数字（容许的相对误差是 1e-4）。'},
    'bpr_not_scalar': {"zh-TW": '回傳的應該是一個數（形狀 () 的張量），你回傳 {got}', "zh-CN": '返回的应该是一个数（形状 () 的张量），你返回 {got}'},
    'bpr_cancel': {"zh-TW": '梯度全部是 0：pos_score 和 neg_score 來自同樣的輸入，兩條路徑的梯度互相抵消（筆記 003 的錯誤）', "zh-CN": '梯度全部是 0：pos_score 和 neg_score 来自同样的输入，两条路径的梯度互相抵消（笔记 003 的错误）'},
    'bpr_seen_negative': {"zh-TW": '有負樣本是使用者按讚過的文章：負樣本只能從 seen 為 False 的文章裡抽', "zh-CN": '有负样本是用户点赞过的文章：负样本只能从 seen 为 False 的文章里抽'},
    'bpr_pos_sign': {"zh-TW": '把按讚過的文章的分數往下推：BPR 是 softplus(s⁻ − s⁺)，不是 softplus(s⁺ − s⁻)', "zh-CN": '把点赞过的文章的分数往下推：BPR 是 softplus(s⁻ − s⁺)，不是 softplus(s⁺ − s⁻)'},
    'bpr_value': {"zh-TW": '損失的值不對：每一組 (使用者, 按讚的文章) 配一篇沒按讚的文章，取 BPR 的平均', "zh-CN": '损失的值不对：每一组 (用户, 点赞的文章) 配一篇没点赞的文章，取 BPR 的平均'},
    'bpr_sum': {"zh-TW": '回傳的是總和，這裡要的是平均', "zh-CN": '返回的是总和，这里要的是平均'},
    'soft_inplace': {"zh-TW": '改動了輸入 v 本身（原地運算）；請回傳一個新的張量', "zh-CN": '改动了输入 v 本身（原地运算）；请返回一个新的张量'},
    'soft_not_zero': {"zh-TW": '在 |v| ≤ λ 的位置沒有給出恰好的 0', "zh-CN": '在 |v| ≤ λ 的位置没有给出恰好的 0'},
    'soft_shrink': {"zh-TW": '在 |v| > λ 的位置數值不對：應該朝 0 移動 λ', "zh-CN": '在 |v| > λ 的位置数值不对：应该朝 0 移动 λ'},
    'freq_absent': {"zh-TW": '對沒有樣本的類別給了 inf、NaN 或不是 0 的權重：這種類別的權重要是 0', "zh-CN": '对没有样本的类别给了 inf、NaN 或不是 0 的权重：这种类别的权重要是 0'},
    'freq_frequency': {"zh-TW": '回傳的是每類的比例 n_c / n；權重是它的倒數再除以類別數', "zh-CN": '返回的是每类的比例 n_c / n；权重是它的倒数再除以类别数'},
    'freq_no_scale': {"zh-TW": '回傳的是 1/n_c，還少了 n/K 這個倍數（少了它，所有樣本的權重總和就不是 n）', "zh-CN": '返回的是 1/n_c，还少了 n/K 这个倍数（少了它，所有样本的权重总和就不是 n）'},
    'freq_value': {"zh-TW": '數值不對：權重是 n / (K·n_c)', "zh-CN": '数值不对：权重是 n / (K·n_c)'},
    'freq_dtype': {"zh-TW": '回傳 {got}，應該是 torch.float64（權重要和 float64 的 logits 一起用）', "zh-CN": '返回 {got}，应该是 torch.float64（权重要和 float64 的 logits 一起用）'},
}

EXERCISE_TEXT: dict[str, dict] = {
    '01-1': {
        "hints": {
            'zh-TW': (
                '公正的骰子每一面出現的機率都一樣：擲出 6 的機率 $p$ 是多少？',
                '位元表示 log 以 2 為底：$I(p) = -\\log_2 p$。',
            ),
            'zh-CN': (
                '公正的骰子每一面出现的概率都一样：掷出 6 的概率 $p$ 是多少？',
                '比特表示 log 以 2 为底：$I(p) = -\\log_2 p$。',
            ),
        },
        "wrong": {"zh-TW": '驚訝度是 −log₂ p，先確定 p 是多少。', "zh-CN": '惊讶度是 −log₂ p，先确定 p 是多少。'},
        "mistakes": {
            'nats': {"zh-TW": '你用了自然對數（單位是奈特）；題目要位元，log 要以 2 為底。', "zh-CN": '你用了自然对数（单位是奈特）；题目要比特，log 要以 2 为底。'},
            'sign': {"zh-TW": '正負號：驚訝度 −log p 一定 ≥ 0。', "zh-CN": '正负号：惊讶度 −log p 一定 ≥ 0。'},
            'probability': {"zh-TW": '這是機率 p 本身，不是驚訝度 −log₂ p。', "zh-CN": '这是概率 p 本身，不是惊讶度 −log₂ p。'},
        },
    },
    '01-2': {
        "hints": {
            'zh-TW': (
                '連乘 n 個 0.5 的乘積恰好是 $2^{-n}$，在變成 0 之前都沒有捨入。',
                'float64 在最小的正規數 $2^{-1022}$ 之下還有次正規數。最小的正數是 2 的幾次方？再乘一次 0.5 時，結果剛好落在它和 0 的正中間，捨入規則是「捨入到偶數」。',
            ),
            'zh-CN': (
                '连乘 n 个 0.5 的乘积恰好是 $2^{-n}$，在变成 0 之前都没有舍入。',
                'float64 在最小的正规数 $2^{-1022}$ 之下还有次正规数。最小的正数是 2 的几次方？再乘一次 0.5 时，结果刚好落在它和 0 的正中间，舍入规则是“舍入到偶数”。',
            ),
        },
        "wrong": {"zh-TW": '先想想 float64 最小的正數是 2 的幾次方。', "zh-CN": '先想想 float64 最小的正数是 2 的几次方。'},
        "mistakes": {
            'smallest': {"zh-TW": '那一個乘積還是 float64 最小的正數，不是 0：再乘一次 0.5 會怎樣？', "zh-CN": '那一个乘积还是 float64 最小的正数，不是 0：再乘一次 0.5 会怎样？'},
            'normal': {"zh-TW": '那是最小的「正規」數附近；float64 在它下面還有次正規數，乘積還沒變成 0。', "zh-CN": '那是最小的“正规”数附近；float64 在它下面还有次正规数，乘积还没变成 0。'},
        },
    },
    '01-3': {
        "hints": {
            'zh-TW': (
                '$\\mathrm{KL}(P\\|Q) = \\sum_x P(x) \\log_2 \\frac{P(x)}{Q(x)}$：權重用的是寫在前面的分佈。',
                '兩個方向各算一次；KL 不對稱，兩個數不會一樣。答案寫成 `(KL(P‖Q), KL(Q‖P))`。',
            ),
            'zh-CN': (
                '$\\mathrm{KL}(P\\|Q) = \\sum_x P(x) \\log_2 \\frac{P(x)}{Q(x)}$：权重用的是写在前面的分布。',
                '两个方向各算一次；KL 不对称，两个数不会一样。答案写成 `(KL(P‖Q), KL(Q‖P))`。',
            ),
        },
        "wrong": {"zh-TW": '注意哪一個分佈當權重、哪一個放在 log 的分母。', "zh-CN": '注意哪一个分布当权重、哪一个放在 log 的分母。'},
        "mistakes": {
            'swapped': {"zh-TW": '兩個數對了，但順序反了：先 KL(P‖Q)，再 KL(Q‖P)。', "zh-CN": '两个数对了，但顺序反了：先 KL(P‖Q)，再 KL(Q‖P)。'},
            'nats': {"zh-TW": '這是以奈特為單位的值；題目要位元，log 要以 2 為底。', "zh-CN": '这是以奈特为单位的值；题目要比特，log 要以 2 为底。'},
            'symmetric': {"zh-TW": '兩個方向不會一樣：KL 不對稱。', "zh-CN": '两个方向不会一样：KL 不对称。'},
        },
    },
    '01-4': {
        "hints": {
            'zh-TW': (
                '再完美的模型也猜不到被隨機翻轉的標籤：剩下的交叉熵就是標籤雜訊本身的熵。',
                '翻轉機率 $\\rho$ 的二元熵是 $-[\\rho \\ln \\rho + (1-\\rho)\\ln(1-\\rho)]$，單位是奈特。',
            ),
            'zh-CN': (
                '再完美的模型也猜不到被随机翻转的标签：剩下的交叉熵就是标签噪声本身的熵。',
                '翻转概率 $\\rho$ 的二元熵是 $-[\\rho \\ln \\rho + (1-\\rho)\\ln(1-\\rho)]$，单位是奈特。',
            ),
        },
        "wrong": {"zh-TW": '下限是標籤雜訊本身的熵。', "zh-CN": '下限是标签噪声本身的熵。'},
        "mistakes": {
            'bits': {"zh-TW": '這是以位元為單位的值；題目要奈特，log 用自然對數。', "zh-CN": '这是以比特为单位的值；题目要奈特，log 用自然对数。'},
            'old': {"zh-TW": '那是 20% 雜訊的下限；題目的翻轉機率是 10%。', "zh-CN": '那是 20% 噪声的下限；题目的翻转概率是 10%。'},
            'zero': {"zh-TW": '有雜訊的時候交叉熵不可能降到 0。', "zh-CN": '有噪声的时候交叉熵不可能降到 0。'},
        },
    },
    '01-5': {
        "hints": {
            'zh-TW': (
                '熵是 $H(p) = -\\sum_i p_i \\log p_i$，沿著最後一維（每一個分佈）加總。',
                '`(p * torch.log(p)).sum(dim=-1)` 得到每一個分佈的值；注意正負號，再把各個分佈的值平均成一個數。',
            ),
            'zh-CN': (
                '熵是 $H(p) = -\\sum_i p_i \\log p_i$，沿着最后一维（每一个分布）求和。',
                '`(p * torch.log(p)).sum(dim=-1)` 得到每一个分布的值；注意正负号，再把各个分布的值平均成一个数。',
            ),
        },
    },
    '01-6': {
        "hints": {
            'zh-TW': (
                '$\\mathrm{KL}(p\\|q) = \\sum_i p_i(\\log p_i - \\log q_i)$，沿著最後一維加總，每一個分佈得到一個數。',
                "先算出每一個分佈的 KL（這就是 reduction='none'），再依 reduction 取平均（'mean'）或總和（'sum'）。",
            ),
            'zh-CN': (
                '$\\mathrm{KL}(p\\|q) = \\sum_i p_i(\\log p_i - \\log q_i)$，沿着最后一维求和，每一个分布得到一个数。',
                "先算出每一个分布的 KL（这就是 reduction='none'），再依 reduction 取平均（'mean'）或总和（'sum'）。",
            ),
        },
    },
    '02-1': {
        "hints": {
            'zh-TW': (
                '先看 $|d|$ 和 $\\delta$ 誰大：決定落在拋物線段還是直線段。',
                '直線段是 $\\delta\\,(|d| - \\tfrac12\\delta)$。',
            ),
            'zh-CN': (
                '先看 $|d|$ 和 $\\delta$ 谁大：决定落在抛物线段还是直线段。',
                '直线段是 $\\delta\\,(|d| - \\tfrac12\\delta)$。',
            ),
        },
        "wrong": {"zh-TW": '先判斷 |d| = 3 落在哪一段。', "zh-CN": '先判断 |d| = 3 落在哪一段。'},
        "mistakes": {
            'quadratic': {"zh-TW": '這是拋物線段 ½d² 的值；|d| > δ，應該用直線那一段。', "zh-CN": '这是抛物线段 ½d² 的值；|d| > δ，应该用直线那一段。'},
            'linear': {"zh-TW": '直線段還要減掉 ½δ²（兩段在 |d| = δ 接起來）。', "zh-CN": '直线段还要减掉 ½δ²（两段在 |d| = δ 接起来）。'},
            'squared': {"zh-TW": '這是 d²，沒有乘 ½，也沒有換成直線段。', "zh-CN": '这是 d²，没有乘 ½，也没有换成直线段。'},
        },
    },
    '02-2': {
        "hints": {
            'zh-TW': (
                '低估（$y > c$）的代價是 $q = 0.9$，高估是 $1 - q = 0.1$：最佳的 $c$ 會偏向資料的大端。',
                '把資料排序：最佳的 $c$ 讓大約 90% 的資料落在 $c$ 以下，而且它就是資料裡的某一個值。',
            ),
            'zh-CN': (
                '低估（$y > c$）的代价是 $q = 0.9$，高估是 $1 - q = 0.1$：最佳的 $c$ 会偏向数据的大端。',
                '把数据排序：最佳的 $c$ 让大约 90% 的数据落在 $c$ 以下，而且它就是数据里的某一个值。',
            ),
        },
        "wrong": {"zh-TW": '排序後，要讓大約 90% 的資料落在 c 以下。', "zh-CN": '排序后，要让大约 90% 的数据落在 c 以下。'},
        "mistakes": {
            'mean': {"zh-TW": '這是平均數，MSE 的最佳常數；分位數損失要的是分位數。', "zh-CN": '这是平均数，MSE 的最佳常数；分位数损失要的是分位数。'},
            'median': {"zh-TW": '這是中位數（q = 0.5）；題目的 q 是 0.9。', "zh-CN": '这是中位数（q = 0.5）；题目的 q 是 0.9。'},
            'low': {"zh-TW": '方向反了：低估的代價是高估的 9 倍，c 應該靠近資料的大端。', "zh-CN": '方向反了：低估的代价是高估的 9 倍，c 应该靠近数据的大端。'},
        },
    },
    '02-3': {
        "hints": {
            'zh-TW': (
                '平均數：總和增加了 100，筆數不變。',
                '中位數只看排序後中間那兩筆；最大的一筆變得更大，會改變中間那兩筆嗎？答案寫成 `(平均數的移動量, 中位數的移動量)`。',
            ),
            'zh-CN': (
                '平均数：总和增加了 100，个数不变。',
                '中位数只看排序后中间那两个；最大的一个变得更大，会改变中间那两个吗？答案写成 `(平均数的移动量, 中位数的移动量)`。',
            ),
        },
        "wrong": {"zh-TW": '平均數看總和，中位數只看排序後中間的值。', "zh-CN": '平均数看总和，中位数只看排序后中间的值。'},
        "mistakes": {
            'both': {"zh-TW": '中位數不會跟著平均數一起動：它只看中間的值。', "zh-CN": '中位数不会跟着平均数一起动：它只看中间的值。'},
            'total': {"zh-TW": '平均數的移動量要再除以筆數。', "zh-CN": '平均数的移动量要再除以个数。'},
            'swapped': {"zh-TW": '順序反了：先平均數，再中位數。', "zh-CN": '顺序反了：先平均数，再中位数。'},
        },
    },
    '02-4': {
        "hints": {
            'zh-TW': (
                '用 $d = x - y$ 和 `torch.where(d.abs() <= delta, 拋物線段, 直線段)` 寫出每個元素的損失，再取平均。',
                '每個元素的導數：拋物線段是 $d$，直線段是 $\\delta\\,\\operatorname{sign}(d)$；平均的梯度還要再除以元素個數。',
            ),
            'zh-CN': (
                '用 $d = x - y$ 和 `torch.where(d.abs() <= delta, 抛物线段, 直线段)` 写出每个元素的损失，再取平均。',
                '每个元素的导数：抛物线段是 $d$，直线段是 $\\delta\\,\\operatorname{sign}(d)$；平均的梯度还要再除以元素个数。',
            ),
        },
    },
    '02-5': {
        "hints": {
            'zh-TW': (
                '$\\cosh(d)$ 在 float32 裡 $|d|$ 大約超過 89 就溢位成 inf，所以不能直接算 `torch.log(torch.cosh(d))`。',
                '$\\log\\cosh d = |d| + \\log(1 + e^{-2|d|}) - \\log 2$，而 $\\log(1 + e^{u})$ 就是 `softplus(u)`。',
            ),
            'zh-CN': (
                '$\\cosh(d)$ 在 float32 里 $|d|$ 大约超过 89 就溢出成 inf，所以不能直接算 `torch.log(torch.cosh(d))`。',
                '$\\log\\cosh d = |d| + \\log(1 + e^{-2|d|}) - \\log 2$，而 $\\log(1 + e^{u})$ 就是 `softplus(u)`。',
            ),
        },
    },
    '03-1': {
        "hints": {
            'zh-TW': (
                '交叉熵對 logits 的梯度是 $Q - P$：模型的機率減去標籤。',
                '先算 $\\operatorname{softmax}(z)$，再把正確類別那一項減 1；答案寫成三個數的 tuple 或 list。',
            ),
            'zh-CN': (
                '交叉熵对 logits 的梯度是 $Q - P$：模型的概率减去标签。',
                '先算 $\\operatorname{softmax}(z)$，再把正确类别那一项减 1；答案写成三个数的 tuple 或 list。',
            ),
        },
        "wrong": {"zh-TW": '先算 softmax(z)，再把正確類別那一項減 1。', "zh-CN": '先算 softmax(z)，再把正确类别那一项减 1。'},
        "mistakes": {
            'sign': {"zh-TW": '正負號反了：梯度是 Q − P，不是 P − Q。', "zh-CN": '正负号反了：梯度是 Q − P，不是 P − Q。'},
            'softmax': {"zh-TW": '這是 softmax(z) 本身；還要減掉標籤 P（正確類別那一項減 1）。', "zh-CN": '这是 softmax(z) 本身；还要减掉标签 P（正确类别那一项减 1）。'},
        },
    },
    '03-2': {
        "hints": {
            'zh-TW': (
                '平滑後的目標分佈：正確類別和其他類別的目標機率各是多少？（PyTorch 的慣例：ε 平均分給全部 $K$ 個類別，包括正確的那一個。）',
                '最佳的 logits 讓 softmax 剛好等於目標分佈，所以 logit 差距是兩個目標機率比值的 log。',
            ),
            'zh-CN': (
                '平滑后的目标分布：正确类别和其他类别的目标概率各是多少？（PyTorch 的惯例：ε 平均分给全部 $K$ 个类别，包括正确的那一个。）',
                '最佳的 logits 让 softmax 刚好等于目标分布，所以 logit 差距是两个目标概率比值的 log。',
            ),
        },
        "wrong": {"zh-TW": '正確類別的目標是 1 − ε + ε/K，其他類別是 ε/K；取比值的 log。', "zh-CN": '正确类别的目标是 1 − ε + ε/K，其他类别是 ε/K；取比值的 log。'},
        "mistakes": {
            'k_minus_1': {"zh-TW": '這是 ε/(K−1) 的慣例（ε 只分給其他類別）；PyTorch 的 label_smoothing 用 ε/K，正確類別也分到一份。', "zh-CN": '这是 ε/(K−1) 的惯例（ε 只分给其他类别）；PyTorch 的 label_smoothing 用 ε/K，正确类别也分到一份。'},
            'no_share': {"zh-TW": '正確類別的目標是 1 − ε + ε/K，不是 1 − ε：它也分到一份 ε/K。', "zh-CN": '正确类别的目标是 1 − ε + ε/K，不是 1 − ε：它也分到一份 ε/K。'},
            'no_log': {"zh-TW": '這是兩個機率的比值；logit 差距要再取 log。', "zh-CN": '这是两个概率的比值；logit 差距要再取 log。'},
        },
    },
    '03-3': {
        "hints": {
            'zh-TW': (
                '逆頻率公式 $w_c = n / (K\\,n_c)$：這裡 $n = 100$、$K = 2$。',
                '少數類別的權重比較大；答案寫成 `(負例的權重, 正例的權重)`。',
            ),
            'zh-CN': (
                '逆频率公式 $w_c = n / (K\\,n_c)$：这里 $n = 100$、$K = 2$。',
                '少数类别的权重比较大；答案写成 `(负例的权重, 正例的权重)`。',
            ),
        },
        "wrong": {"zh-TW": 'w_c = n / (K·n_c)，n = 100、K = 2。', "zh-CN": 'w_c = n / (K·n_c)，n = 100、K = 2。'},
        "mistakes": {
            'swapped': {"zh-TW": '兩個數對了，但順序反了：先負例，再正例。', "zh-CN": '两个数对了，但顺序反了：先负例，再正例。'},
            'frequency': {"zh-TW": '這是兩個類別的頻率；權重和頻率成反比。', "zh-CN": '这是两个类别的频率；权重和频率成反比。'},
            'no_scale': {"zh-TW": '少了 n/K 這個因子：權重是 n / (K·n_c)。', "zh-CN": '少了 n/K 这个因子：权重是 n / (K·n_c)。'},
        },
    },
    '03-4': {
        "hints": {
            'zh-TW': (
                '直接寫 $-[y\\log\\sigma(x) + (1-y)\\log(1-\\sigma(x))]$ 在 $x = \\pm 100$ 會遇到 $\\log 0$。',
                '整理成 $\\max(x, 0) - x y + \\log(1 + e^{-|x|})$：指數裡永遠不是正數，不會溢位。',
            ),
            'zh-CN': (
                '直接写 $-[y\\log\\sigma(x) + (1-y)\\log(1-\\sigma(x))]$ 在 $x = \\pm 100$ 会遇到 $\\log 0$。',
                '整理成 $\\max(x, 0) - x y + \\log(1 + e^{-|x|})$：指数里永远不是正数，不会溢出。',
            ),
        },
    },
    '03-5': {
        "hints": {
            'zh-TW': (
                '每一個樣本的損失是 $\\log\\sum_j e^{z_j} - z_{\\text{target}}$；直接算 `exp` 在 logits 是 ±10000 時會溢位。',
                '`torch.logsumexp(input, dim=1)` 是穩定的；正確類別的 logit 可以用 `input.gather(1, target[:, None])` 取出。',
            ),
            'zh-CN': (
                '每一个样本的损失是 $\\log\\sum_j e^{z_j} - z_{\\text{target}}$；直接算 `exp` 在 logits 是 ±10000 时会溢出。',
                '`torch.logsumexp(input, dim=1)` 是稳定的；正确类别的 logit 可以用 `input.gather(1, target[:, None])` 取出。',
            ),
        },
    },
    '04-1': {
        "hints": {
            'zh-TW': (
                'FL = $(1-p_t)^\\gamma \\cdot \\mathrm{CE}$：比值裡 $-\\log p_t$ 會約掉。',
                '只剩調制因子 $(1-p_t)^\\gamma$。',
            ),
            'zh-CN': (
                'FL = $(1-p_t)^\\gamma \\cdot \\mathrm{CE}$：比值里 $-\\log p_t$ 会约掉。',
                '只剩调制因子 $(1-p_t)^\\gamma$。',
            ),
        },
        "wrong": {"zh-TW": '−log p_t 會約掉，只剩調制因子。', "zh-CN": '−log p_t 会约掉，只剩调制因子。'},
        "mistakes": {
            'no_power': {"zh-TW": '別忘了 γ 次方：調制因子是 (1 − p_t)^γ。', "zh-CN": '别忘了 γ 次方：调制因子是 (1 − p_t)^γ。'},
            'pt': {"zh-TW": '調制因子是 (1 − p_t)^γ，不是 p_t^γ。', "zh-CN": '调制因子是 (1 − p_t)^γ，不是 p_t^γ。'},
        },
    },
    '04-2': {
        "hints": {
            'zh-TW': (
                '$p_t = p = 0.5$，$(1-p)^\\gamma = 0.25$。',
                '公式裡有兩項：$(1-p)$ 來自交叉熵，$-\\gamma p \\log p$ 來自調制因子本身的導數；兩項都要。',
            ),
            'zh-CN': (
                '$p_t = p = 0.5$，$(1-p)^\\gamma = 0.25$。',
                '公式里有两项：$(1-p)$ 来自交叉熵，$-\\gamma p \\log p$ 来自调制因子本身的导数；两项都要。',
            ),
        },
        "wrong": {"zh-TW": '(1 − p)^γ = 0.25，log 0.5 是負的。', "zh-CN": '(1 − p)^γ = 0.25，log 0.5 是负的。'},
        "mistakes": {
            'sign': {"zh-TW": '正負號反了：y = 1 時增加 z 會讓損失變小，梯度是負的。', "zh-CN": '正负号反了：y = 1 时增加 z 会让损失变小，梯度是负的。'},
            'no_modulator': {"zh-TW": '少了 −γ p log p 那一項（調制因子本身的導數）。', "zh-CN": '少了 −γ p log p 那一项（调制因子本身的导数）。'},
            'note': {"zh-TW": '這是筆記的公式給的值；第 9.4 節說明了它哪裡出錯。', "zh-CN": '这是笔记的公式给的值；第 9.4 节说明了它哪里出错。'},
        },
    },
    '04-3': {
        "hints": {
            'zh-TW': (
                '令 $u = 1 - p_t$，$u$ 在 $(0.01, 0.1)$ 上均勻分佈：$E[u^3] = \\frac{1}{0.09}\\int_{0.01}^{0.1} u^3\\,du$。',
                '990 個樣本的總和是 $990 \\cdot E[u^3]$。',
            ),
            'zh-CN': (
                '令 $u = 1 - p_t$，$u$ 在 $(0.01, 0.1)$ 上均匀分布：$E[u^3] = \\frac{1}{0.09}\\int_{0.01}^{0.1} u^3\\,du$。',
                '990 个样本的总和是 $990 \\cdot E[u^3]$。',
            ),
        },
        "wrong": {"zh-TW": '令 u = 1 − p_t，u ~ U(0.01, 0.1)，先算 E[u³]。', "zh-CN": '令 u = 1 − p_t，u ~ U(0.01, 0.1)，先算 E[u³]。'},
        "mistakes": {
            'gamma2': {"zh-TW": '這是 γ = 2 的答案；題目的 γ 是 3。', "zh-CN": '这是 γ = 2 的答案；题目的 γ 是 3。'},
            'one': {"zh-TW": '這是一個樣本的期望值；題目要 990 個樣本的總和。', "zh-CN": '这是一个样本的期望值；题目要 990 个样本的总和。'},
        },
    },
    '04-4': {
        "hints": {
            'zh-TW': (
                '損失：$p = \\sigma(x)$、$p_t = p\\,y + (1-p)(1-y)$、$\\alpha_t = \\alpha y + (1-\\alpha)(1-y)$，CE 用穩定的 BCE-with-logits；$\\alpha_t (1-p_t)^\\gamma \\mathrm{CE}$ 再平均。',
                '梯度：令 $m = 1 - p_t$，$dm/dx = -(2y - 1)\\,p(1-p)$，$d\\mathrm{CE}/dx = p - y$；乘積法則給 $\\alpha_t[\\gamma m^{\\gamma-1} (dm/dx)\\,\\mathrm{CE} + m^\\gamma (p - y)]$，再除以元素個數。',
            ),
            'zh-CN': (
                '损失：$p = \\sigma(x)$、$p_t = p\\,y + (1-p)(1-y)$、$\\alpha_t = \\alpha y + (1-\\alpha)(1-y)$，CE 用稳定的 BCE-with-logits；$\\alpha_t (1-p_t)^\\gamma \\mathrm{CE}$ 再平均。',
                '梯度：令 $m = 1 - p_t$，$dm/dx = -(2y - 1)\\,p(1-p)$，$d\\mathrm{CE}/dx = p - y$；乘积法则给 $\\alpha_t[\\gamma m^{\\gamma-1} (dm/dx)\\,\\mathrm{CE} + m^\\gamma (p - y)]$，再除以元素个数。',
            ),
        },
    },
    '04-5': {
        "hints": {
            'zh-TW': (
                '`torch.log_softmax(input, dim=1)` 取出正確類別那一項得到 $\\log p_t$；$p_t$ 是它的 exp。',
                '每個樣本的損失是 $-(1-p_t)^\\gamma \\log p_t$，再對樣本平均。',
            ),
            'zh-CN': (
                '`torch.log_softmax(input, dim=1)` 取出正确类别那一项得到 $\\log p_t$；$p_t$ 是它的 exp。',
                '每个样本的损失是 $-(1-p_t)^\\gamma \\log p_t$，再对样本平均。',
            ),
        },
    },
    '05-1': {
        "hints": {
            'zh-TW': (
                'logits 是相似度除以溫度：$s/\\tau$。',
                '正樣本在第 0 個：$L = -\\log\\frac{e^{5}}{e^{5} + e^{4} + e^{0}}$。',
            ),
            'zh-CN': (
                'logits 是相似度除以温度：$s/\\tau$。',
                '正样本在第 0 个：$L = -\\log\\frac{e^{5}}{e^{5} + e^{4} + e^{0}}$。',
            ),
        },
        "wrong": {"zh-TW": 'logits 是 s/τ = 5, 4, 0，正樣本在第 0 個。', "zh-CN": 'logits 是 s/τ = 5, 4, 0，正样本在第 0 个。'},
        "mistakes": {
            'no_tau': {"zh-TW": '相似度要先除以溫度 τ。', "zh-CN": '相似度要先除以温度 τ。'},
            'sign': {"zh-TW": '正負號：損失是 −log(正樣本的機率)，一定 ≥ 0。', "zh-CN": '正负号：损失是 −log(正样本的概率)，一定 ≥ 0。'},
        },
    },
    '05-2': {
        "hints": {
            'zh-TW': (
                '負樣本的權重正比於 $e^{s/\\tau}$。',
                '兩個權重的比值是 $e^{\\Delta s/\\tau}$。',
            ),
            'zh-CN': (
                '负样本的权重正比于 $e^{s/\\tau}$。',
                '两个权重的比值是 $e^{\\Delta s/\\tau}$。',
            ),
        },
        "wrong": {"zh-TW": '權重比 = exp(Δs/τ)。', "zh-CN": '权重比 = exp(Δs/τ)。'},
        "mistakes": {
            'no_tau': {"zh-TW": '相似度的差要先除以溫度 τ。', "zh-CN": '相似度的差要先除以温度 τ。'},
            'ratio': {"zh-TW": '權重是 exp(s/τ)，不是相似度本身的比值。', "zh-CN": '权重是 exp(s/τ)，不是相似度本身的比值。'},
            'inverse': {"zh-TW": '反了：相似度高的負樣本權重比較大。', "zh-CN": '反了：相似度高的负样本权重比较大。'},
        },
    },
    '05-3': {
        "hints": {
            'zh-TW': (
                '$L$ 最小是多少？',
                '一共有 $K + 1$ 個候選（1 個正樣本加 $K$ 個負樣本）。',
            ),
            'zh-CN': (
                '$L$ 最小是多少？',
                '一共有 $K + 1$ 个候选（1 个正样本加 $K$ 个负样本）。',
            ),
        },
        "wrong": {"zh-TW": '損失 L 最小是 0。', "zh-CN": '损失 L 最小是 0。'},
        "mistakes": {
            'k': {"zh-TW": '候選一共有 K + 1 個：別忘了正樣本自己。', "zh-CN": '候选一共有 K + 1 个：别忘了正样本自己。'},
            'bits': {"zh-TW": '這是以位元為單位的值；題目要奈特。', "zh-CN": '这是以比特为单位的值；题目要奈特。'},
        },
    },
    '05-4': {
        "hints": {
            'zh-TW': (
                "先用 `F.normalize(..., dim=-1)` 把三種向量都變成單位長度；正樣本的相似度是每個樣本自己的內積，負樣本的是 `torch.einsum('nd,nkd->nk', q, neg)`。",
                '把正樣本的相似度放在第 0 欄，接上 $K$ 個負樣本，除以 τ，就是 $K+1$ 類的 logits；正確類別永遠是 0，交給 `F.cross_entropy`。',
            ),
            'zh-CN': (
                "先用 `F.normalize(..., dim=-1)` 把三种向量都变成单位长度；正样本的相似度是每个样本自己的内积，负样本的是 `torch.einsum('nd,nkd->nk', q, neg)`。",
                '把正样本的相似度放在第 0 列，接上 $K$ 个负样本，除以 τ，就是 $K+1$ 类的 logits；正确类别永远是 0，交给 `F.cross_entropy`。',
            ),
        },
    },
    '05-5': {
        "hints": {
            'zh-TW': (
                '每一個樣本的損失是 $-\\log\\sigma(s^+) - \\sum_k \\log\\sigma(-s^-_k)$；直接算 $\\log\\sigma$ 在分數 ±100 時會遇到 $\\log 0$。',
                '$-\\log\\sigma(u) = \\operatorname{softplus}(-u)$，`F.softplus` 是穩定的；負樣本沿著 dim=1 加總，再對樣本平均。',
            ),
            'zh-CN': (
                '每一个样本的损失是 $-\\log\\sigma(s^+) - \\sum_k \\log\\sigma(-s^-_k)$；直接算 $\\log\\sigma$ 在分数 ±100 时会遇到 $\\log 0$。',
                '$-\\log\\sigma(u) = \\operatorname{softplus}(-u)$，`F.softplus` 是稳定的；负样本沿着 dim=1 求和，再对样本平均。',
            ),
        },
    },
    '06-1': {
        "hints": {
            'zh-TW': (
                '每次 `backward()` 都把新的梯度**加進** `.grad`，不會覆蓋。',
                '三次呼叫的梯度都一樣大。',
            ),
            'zh-CN': (
                '每次 `backward()` 都把新的梯度**加进** `.grad`，不会覆盖。',
                '三次调用的梯度都一样大。',
            ),
        },
        "wrong": {"zh-TW": 'AccumulateGrad 每次都是「加進去」。', "zh-CN": 'AccumulateGrad 每次都是“加进去”。'},
        "mistakes": {
            'once': {"zh-TW": '`.grad` 不會被覆蓋：三次的梯度會累加起來。', "zh-CN": '`.grad` 不会被覆盖：三次的梯度会累加起来。'},
        },
    },
    '06-2': {
        "hints": {
            'zh-TW': (
                '每一步離最低點的距離乘上 $1 - \\eta a$。',
                '要收斂需要 $|1 - \\eta a| < 1$；解出 $\\eta$ 的上界。',
            ),
            'zh-CN': (
                '每一步离最低点的距离乘上 $1 - \\eta a$。',
                '要收敛需要 $|1 - \\eta a| < 1$；解出 $\\eta$ 的上界。',
            ),
        },
        "wrong": {"zh-TW": '要 |1 − ηa| < 1。', "zh-CN": '要 |1 − ηa| < 1。'},
        "mistakes": {
            'one_step': {"zh-TW": '那是一步就走到最低點的學習率；發散的邊界在 |1 − ηa| = 1。', "zh-CN": '那是一步就走到最低点的学习率；发散的边界在 |1 − ηa| = 1。'},
            'curvature': {"zh-TW": '這是曲率 a 本身，不是學習率的上界。', "zh-CN": '这是曲率 a 本身，不是学习率的上界。'},
        },
    },
    '06-3': {
        "hints": {
            'zh-TW': (
                'BPR 是 $\\operatorname{softplus}(s^- - s^+)$；兩個分數相等時差是多少？',
                '$\\operatorname{softplus}(u) = \\log(1 + e^{u})$，代入 $u = 0$。',
            ),
            'zh-CN': (
                'BPR 是 $\\operatorname{softplus}(s^- - s^+)$；两个分数相等时差是多少？',
                '$\\operatorname{softplus}(u) = \\log(1 + e^{u})$，代入 $u = 0$。',
            ),
        },
        "wrong": {"zh-TW": 'BPR = softplus(s⁻ − s⁺)，差是 0。', "zh-CN": 'BPR = softplus(s⁻ − s⁺)，差是 0。'},
        "mistakes": {
            'zero': {"zh-TW": '差是 0，但 softplus(0) 不是 0。', "zh-CN": '差是 0，但 softplus(0) 不是 0。'},
            'sign': {"zh-TW": '正負號：BPR 損失一定是正的。', "zh-CN": '正负号：BPR 损失一定是正的。'},
        },
    },
    '06-4': {
        "hints": {
            'zh-TW': (
                '筆記的迴圈用同一組輸入算 `pos_score` 和 `neg_score`；`neg_score` 要換成每位使用者**沒按讚過**的文章。',
                '`torch.multinomial((~seen[users]).float(), 1, generator=generator).squeeze(1)` 為每一位使用者抽一篇 seen 為 False 的文章；再算 `lossviz.bpr(score(users, pos_items), score(users, negs))`。',
            ),
            'zh-CN': (
                '笔记的循环用同一组输入算 `pos_score` 和 `neg_score`；`neg_score` 要换成每位用户**没点赞过**的文章。',
                '`torch.multinomial((~seen[users]).float(), 1, generator=generator).squeeze(1)` 为每一位用户抽一篇 seen 为 False 的文章；再算 `lossviz.bpr(score(users, pos_items), score(users, negs))`。',
            ),
        },
    },
    '06-5': {
        "hints": {
            'zh-TW': (
                '每一組的損失是 $\\operatorname{softplus}(s^- - s^+)$，用 `F.softplus` 才不會在差距很大時溢位；再取平均。',
                '$\\frac{d}{du}\\operatorname{softplus}(u) = \\sigma(u)$，$u = s^- - s^+$ 對 $s^+$ 的導數是 −1；平均的梯度還要除以組數。',
            ),
            'zh-CN': (
                '每一组的损失是 $\\operatorname{softplus}(s^- - s^+)$，用 `F.softplus` 才不会在差距很大时溢出；再取平均。',
                '$\\frac{d}{du}\\operatorname{softplus}(u) = \\sigma(u)$，$u = s^- - s^+$ 对 $s^+$ 的导数是 −1；平均的梯度还要除以组数。',
            ),
        },
    },
    '07-1': {
        "hints": {
            'zh-TW': (
                'minimax 的梯度是 $-\\sigma(f) = -D(G(z))$，非飽和的是 $-\\sigma(-f) = -(1 - D(G(z)))$。',
                '比值是 $D / (1 - D)$。',
            ),
            'zh-CN': (
                'minimax 的梯度是 $-\\sigma(f) = -D(G(z))$，非饱和的是 $-\\sigma(-f) = -(1 - D(G(z)))$。',
                '比值是 $D / (1 - D)$。',
            ),
        },
        "wrong": {"zh-TW": '兩個梯度的大小分別是 D 與 1 − D，比值是前者除以後者。', "zh-CN": '两个梯度的大小分别是 D 与 1 − D，比值是前者除以后者。'},
        "mistakes": {
            'inverse': {"zh-TW": '這是非飽和除以 minimax；題目問的是 minimax 是非飽和的幾分之幾。', "zh-CN": '这是非饱和除以 minimax；题目问的是 minimax 是非饱和的几分之几。'},
            'minimax': {"zh-TW": '這是 minimax 的梯度大小本身；還要除以非飽和的梯度大小 1 − D。', "zh-CN": '这是 minimax 的梯度大小本身；还要除以非饱和的梯度大小 1 − D。'},
        },
    },
    '07-2': {
        "hints": {
            'zh-TW': (
                '$D_{\\mathrm{KL}} = \\tfrac12(\\mu^2 + e^{v} - 1 - v)$。',
                '$e^0 = 1$，所以只剩 $\\tfrac12\\mu^2$。',
            ),
            'zh-CN': (
                '$D_{\\mathrm{KL}} = \\tfrac12(\\mu^2 + e^{v} - 1 - v)$。',
                '$e^0 = 1$，所以只剩 $\\tfrac12\\mu^2$。',
            ),
        },
        "wrong": {"zh-TW": '把 μ = 1、v = 0 代入 ½(μ² + e^v − 1 − v)。', "zh-CN": '把 μ = 1、v = 0 代入 ½(μ² + e^v − 1 − v)。'},
        "mistakes": {
            'no_half': {"zh-TW": '別忘了前面的 ½。', "zh-CN": '别忘了前面的 ½。'},
            'with_var': {"zh-TW": 'e^v − 1 − v 在 v = 0 時是 0，變異數的部分不貢獻 KL。', "zh-CN": 'e^v − 1 − v 在 v = 0 时是 0，方差的部分不贡献 KL。'},
        },
    },
    '07-3': {
        "hints": {
            'zh-TW': (
                '$-\\log\\sigma(r) = \\operatorname{softplus}(-r)$，$-\\log(1 - \\sigma(f)) = \\operatorname{softplus}(f)$。',
                '`F.softplus` 在大的輸入上是穩定的；不要先算 `torch.sigmoid` 再取 log（$\\sigma(-100)$ 在 float32 是 0）。',
            ),
            'zh-CN': (
                '$-\\log\\sigma(r) = \\operatorname{softplus}(-r)$，$-\\log(1 - \\sigma(f)) = \\operatorname{softplus}(f)$。',
                '`F.softplus` 在大的输入上是稳定的；不要先算 `torch.sigmoid` 再取 log（$\\sigma(-100)$ 在 float32 是 0）。',
            ),
        },
    },
    '07-4': {
        "hints": {
            'zh-TW': (
                '`recon.reshape(len(recon), -1)` 讓每一橫列是一筆樣本；KL 是 `0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum(1)`。',
                '不要用 `F.mse_loss(..., reduction="mean")`：它也會除以元素個數，等於偷偷改變了 β。',
            ),
            'zh-CN': (
                '`recon.reshape(len(recon), -1)` 让每一行是一个样本；KL 是 `0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum(1)`。',
                '不要用 `F.mse_loss(..., reduction="mean")`：它也会除以元素个数，等于偷偷改变了 β。',
            ),
        },
    },
    '09-1': {
        "hints": {
            'zh-TW': (
                '每個字母至少佔一個時間步；兩個相鄰的相同字母之間必須夾一個空白，否則會被合併。',
                '數一數相鄰重複：`aa` 一次、`bbb` 兩次。頭尾不需要空白。',
            ),
            'zh-CN': (
                '每个字母至少占一个时间步；两个相邻的相同字母之间必须夹一个空白，否则会被合并。',
                '数一数相邻重复：`aa` 一次、`bbb` 两次。头尾不需要空白。',
            ),
        },
        "wrong": {"zh-TW": '數一數相鄰重複的字母：每一對之間要多一個空白。', "zh-CN": '数一数相邻重复的字母：每一对之间要多一个空白。'},
        "mistakes": {
            'no_repeat': {"zh-TW": '這只是 U：相鄰的相同字母之間還要夾一個空白。', "zh-CN": '这只是 U：相邻的相同字母之间还要夹一个空白。'},
            'extended': {"zh-TW": '這是擴充標籤 l′ 的長度 2U + 1；頭尾和不同字母之間不需要空白。', "zh-CN": '这是扩充标签 l′ 的长度 2U + 1；头尾和不同字母之间不需要空白。'},
        },
    },
    '09-2': {
        "hints": {
            'zh-TW': (
                'PyTorch 先把每一筆的損失除以它自己的目標長度。',
                '$3/1$ 和 $8/4$，再對兩筆平均。',
            ),
            'zh-CN': (
                'PyTorch 先把每一个的损失除以它自己的目标长度。',
                '$3/1$ 和 $8/4$，再对两个平均。',
            ),
        },
        "wrong": {"zh-TW": '先把每筆損失除以它自己的目標長度，再對兩筆平均。', "zh-CN": '先把每个损失除以它自己的目标长度，再对两个平均。'},
        "mistakes": {
            'plain_mean': {"zh-TW": "這是 reduction='none' 的平均；PyTorch 的 mean 會先除以每筆的目標長度。", "zh-CN": "这是 reduction='none' 的平均；PyTorch 的 mean 会先除以每个的目标长度。"},
            'token_mean': {"zh-TW": '這是總損失除以所有標籤數；PyTorch 是每筆各自除以自己的目標長度，再平均。', "zh-CN": '这是总损失除以所有标签数；PyTorch 是每个各自除以自己的目标长度，再平均。'},
            'total': {"zh-TW": "這是總和（reduction='sum'）。", "zh-CN": "这是总和（reduction='sum'）。"},
        },
    },
    '09-3': {
        "hints": {
            'zh-TW': (
                '困惑度是逐字平均交叉熵的指數：$\\exp\\big(\\tfrac{1}{3}\\sum -\\log p_i\\big)$。',
                '等於 $1/p_i$ 的幾何平均：$(2 \\cdot 4 \\cdot 8)^{1/3}$。',
            ),
            'zh-CN': (
                '困惑度是逐字平均交叉熵的指数：$\\exp\\big(\\tfrac{1}{3}\\sum -\\log p_i\\big)$。',
                '等于 $1/p_i$ 的几何平均：$(2 \\cdot 4 \\cdot 8)^{1/3}$。',
            ),
        },
        "wrong": {"zh-TW": '困惑度 = exp(逐字平均的 −log p)。', "zh-CN": '困惑度 = exp(逐字平均的 −log p)。'},
        "mistakes": {
            'no_exp': {"zh-TW": '這是逐字平均的交叉熵（nats）；困惑度還要取 exp。', "zh-CN": '这是逐字平均的交叉熵（nats）；困惑度还要取 exp。'},
            'arithmetic': {"zh-TW": '這是 1/p 的算術平均；困惑度是幾何平均。', "zh-CN": '这是 1/p 的算术平均；困惑度是几何平均。'},
            'bits': {"zh-TW": '這是以 2 為底的平均交叉熵（bits）；困惑度是 2 的這個次方。', "zh-CN": '这是以 2 为底的平均交叉熵（bits）；困惑度是 2 的这个次方。'},
        },
    },
    '09-4': {
        "hints": {
            'zh-TW': (
                "對每一筆：取出前 `input_lengths[n]` 個時間步、建立擴充標籤 $l'$，在 log 空間做遞迴：乘法變加法，加法變 `torch.logsumexp`，\n這樣 log 機率到 −200 也不會下溢。最後取 $-\\operatorname{logsumexp}$ 最後兩格，除以 $U_n$。",
                '「不可能」的格子若用 $-\\infty$，`torch.logsumexp` 在三個都是 $-\\infty$ 時的梯度是 NaN；改用一個很負的有限數（例如 $-10^{30}$）。\n遞迴寫成對整個橫列的運算：`torch.logsumexp(torch.stack([a, 右移一格的 a, 右移兩格的 a + 跳格遮罩]), 0) + lp[t]`，用 `torch.cat` 做右移（不要原地修改）。',
            ),
            'zh-CN': (
                "对每一个：取出前 `input_lengths[n]` 个时间步、创建扩充标签 $l'$，在 log 空间做递归：乘法变加法，加法变 `torch.logsumexp`，\n这样 log 概率到 −200 也不会下溢。最后取 $-\\operatorname{logsumexp}$ 最后两格，除以 $U_n$。",
                '“不可能”的格子若用 $-\\infty$，`torch.logsumexp` 在三个都是 $-\\infty$ 时的梯度是 NaN；改用一个很负的有限数（例如 $-10^{30}$）。\n递归写成对整个行的运算：`torch.logsumexp(torch.stack([a, 右移一格的 a, 右移两格的 a + 跳格遮罩]), 0) + lp[t]`，用 `torch.cat` 做右移（不要原地修改）。',
            ),
        },
    },
    '09-5': {
        "hints": {
            'zh-TW': (
                '`lp = input.log_softmax(-1)`；遮罩 `real = target != -100`；取正確答案時先把 −100 換成任何合法的編號（`clamp_min(0)`），再用遮罩排除。',
                '每個字的損失是 $(1-\\varepsilon)(-\\log p_y) + \\varepsilon \\cdot \\operatorname{mean}_c(-\\log p_c)$；總和除以 `real.sum()`，不是 `.mean()`。',
            ),
            'zh-CN': (
                '`lp = input.log_softmax(-1)`；遮罩 `real = target != -100`；取正确答案时先把 −100 换成任何合法的编号（`clamp_min(0)`），再用遮罩排除。',
                '每个字的损失是 $(1-\\varepsilon)(-\\log p_y) + \\varepsilon \\cdot \\operatorname{mean}_c(-\\log p_c)$；总和除以 `real.sum()`，不是 `.mean()`。',
            ),
        },
    },
    '08-1': {
        "hints": {
            'zh-TW': (
                'Dice 係數是 $2|A \\cap B| / (|A| + |B|)$；損失是 1 減去它。',
                '交集 3，兩個遮罩各 4 個像素：$D = 6/8$。',
            ),
            'zh-CN': (
                'Dice 系数是 $2|A \\cap B| / (|A| + |B|)$；损失是 1 减去它。',
                '交集 3，两个遮罩各 4 个像素：$D = 6/8$。',
            ),
        },
        "wrong": {"zh-TW": 'Dice 損失 = 1 − 2·交集 / (預測像素數 + 目標像素數)。', "zh-CN": 'Dice 损失 = 1 − 2·交集 / (预测像素数 + 目标像素数)。'},
        "mistakes": {
            'dice_score': {"zh-TW": '這是 Dice 係數；損失是 1 減去它。', "zh-CN": '这是 Dice 系数；损失是 1 减去它。'},
            'iou': {"zh-TW": '這是 IoU 損失（交集 / 聯集）；Dice 是 2·交集 / (兩者大小之和)。', "zh-CN": '这是 IoU 损失（交集 / 并集）；Dice 是 2·交集 / (两者大小之和)。'},
        },
    },
    '08-2': {
        "hints": {
            'zh-TW': (
                '目標全空時交集是 0，$\\sum t = 0$。',
                '$D = s / (\\sum p + s) = 1 / (9 + 1)$。',
            ),
            'zh-CN': (
                '目标全空时交集是 0，$\\sum t = 0$。',
                '$D = s / (\\sum p + s) = 1 / (9 + 1)$。',
            ),
        },
        "wrong": {"zh-TW": '目標全空時 D = s / (Σp + s)；損失是 1 − D。', "zh-CN": '目标全空时 D = s / (Σp + s)；损失是 1 − D。'},
        "mistakes": {
            'no_smooth': {"zh-TW": '這是 s = 0 的結果；筆記的 DiceLoss 用 s = 1。', "zh-CN": '这是 s = 0 的结果；笔记的 DiceLoss 用 s = 1。'},
            'both_empty': {"zh-TW": '損失 0 只在預測也全空時才會出現。', "zh-CN": '损失 0 只在预测也全空时才会出现。'},
        },
    },
    '08-3': {
        "hints": {
            'zh-TW': (
                'IoU 是 0；包住兩框的最小方框是 $(0, 0, 3, 1)$。',
                '$|C| = 3$、聯集 $= 2$，$\\text{GIoU} = 0 - (3 - 2)/3$。',
            ),
            'zh-CN': (
                'IoU 是 0；包住两框的最小方框是 $(0, 0, 3, 1)$。',
                '$|C| = 3$、并集 $= 2$，$\\text{GIoU} = 0 - (3 - 2)/3$。',
            ),
        },
        "wrong": {"zh-TW": 'GIoU = IoU − (|C| − 聯集)/|C|，C 是包住兩框的最小方框；損失是 1 − GIoU。', "zh-CN": 'GIoU = IoU − (|C| − 并集)/|C|，C 是包住两框的最小方框；损失是 1 − GIoU。'},
        "mistakes": {
            'iou_loss': {"zh-TW": '這是 IoU 損失：不重疊時一律是 1。GIoU 還要減去包圍框裡的空白比例。', "zh-CN": '这是 IoU 损失：不重叠时一律是 1。GIoU 还要减去包围框里的空白比例。'},
            'giou': {"zh-TW": '這是 GIoU 本身；題目問的是損失 1 − GIoU。', "zh-CN": '这是 GIoU 本身；题目问的是损失 1 − GIoU。'},
        },
    },
    '08-4': {
        "hints": {
            'zh-TW': (
                '`input.flatten(2)` 把空間維度攤成一維，對最後一維加總，就和筆記的 `DiceLoss` 一樣。',
                '$D = (2\\sum p t + s) / (\\sum p + \\sum t + s)$，每個（樣本、通道）一個；最後 `1 - D.mean()`。\n不要攤成 `flatten(1)`：那會把不同通道混在一起。',
            ),
            'zh-CN': (
                '`input.flatten(2)` 把空间维度摊成一维，对最后一维求和，就和笔记的 `DiceLoss` 一样。',
                '$D = (2\\sum p t + s) / (\\sum p + \\sum t + s)$，每个（样本、通道）一个；最后 `1 - D.mean()`。\n不要摊成 `flatten(1)`：那会把不同通道混在一起。',
            ),
        },
    },
    '08-5': {
        "hints": {
            'zh-TW': (
                '聯集 = $\\sum p + \\sum t - \\sum p t$（交集被加了兩次，減掉一次）。',
                '$J = (\\sum p t + s) / (\\text{聯集} + s)$；回傳 `1 - J.mean()`。',
            ),
            'zh-CN': (
                '并集 = $\\sum p + \\sum t - \\sum p t$（交集被加了两次，减掉一次）。',
                '$J = (\\sum p t + s) / (\\text{并集} + s)$；返回 `1 - J.mean()`。',
            ),
        },
    },
    '10-1': {
        "hints": {
            'zh-TW': (
                '兩種寫法的值一模一樣，差別只在尖點上 autograd 選了哪一個次梯度：區間 $[-1, 0]$ 裡的每個數都是合法的次梯度。',
                '`F.relu` 在 0 的導數定為 0；`torch.clamp` 把「正好等於 `min`」算在範圍之內，梯度照常通過，再乘上 $1 - x$ 對 $x$ 的導數。',
            ),
            'zh-CN': (
                '两种写法的值一模一样，差别只在尖点上 autograd 选了哪一个次梯度：区间 $[-1, 0]$ 里的每个数都是合法的次梯度。',
                '`F.relu` 在 0 的导数定为 0；`torch.clamp` 把“正好等于 `min`”算在范围之内，梯度照常通过，再乘上 $1 - x$ 对 $x$ 的导数。',
            ),
        },
        "wrong": {"zh-TW": '分別對兩種寫法做 backward：一種讓梯度通過，另一種把它設成 0。', "zh-CN": '分别对两种写法做 backward：一种让梯度通过，另一种把它设成 0。'},
        "mistakes": {
            'swapped': {"zh-TW": '兩個數的順序反了：先 clamp，再 relu。', "zh-CN": '两个数的顺序反了：先 clamp，再 relu。'},
            'both_zero': {"zh-TW": 'relu 的確給 0，但 clamp 在邊界上讓梯度通過。', "zh-CN": 'relu 的确给 0，但 clamp 在边界上让梯度通过。'},
            'both_minus_one': {"zh-TW": 'clamp 的確給 −1，但 relu 在 0 的導數定為 0。', "zh-CN": 'clamp 的确给 −1，但 relu 在 0 的导数定为 0。'},
            'half': {"zh-TW": '−0.5 是 `torch.maximum` 遇到平手時的作法（把梯度平分）；clamp 和 relu 不是這樣。', "zh-CN": '−0.5 是 `torch.maximum` 遇到平手时的作法（把梯度平分）；clamp 和 relu 不是这样。'},
        },
    },
    '10-2': {
        "hints": {
            'zh-TW': (
                'Adam 的 `weight_decay` 把 $\\lambda w$ 加進梯度，再一起除以自適應的分母；分母不會改變「梯度為 0」的位置。',
                '解 $0.5\\,(w - 1) + 0.1\\,w = 0$。',
            ),
            'zh-CN': (
                'Adam 的 `weight_decay` 把 $\\lambda w$ 加进梯度，再一起除以自适应的分母；分母不会改变“梯度为 0”的位置。',
                '解 $0.5\\,(w - 1) + 0.1\\,w = 0$。',
            ),
        },
        "wrong": {"zh-TW": 'Adam 會停在總梯度 a(w − 1) + λw 為 0 的地方。', "zh-CN": 'Adam 会停在总梯度 a(w − 1) + λw 为 0 的地方。'},
        "mistakes": {
            'decoupled': {"zh-TW": '這是不加懲罰的最佳解（AdamW 幾乎就停在這裡）；Adam 的 weight_decay 是 L2 懲罰，會把 w 拉向 0。', "zh-CN": '这是不加惩罚的最优解（AdamW 几乎就停在这里）；Adam 的 weight_decay 是 L2 惩罚，会把 w 拉向 0。'},
            'double': {"zh-TW": 'weight_decay=λ 在梯度上加的是 λw，對應的懲罰是 (λ/2)w²，不是 λw²。', "zh-CN": 'weight_decay=λ 在梯度上加的是 λw，对应的惩罚是 (λ/2)w²，不是 λw²。'},
        },
    },
    '10-3': {
        "hints": {
            'zh-TW': (
                '對 $s$ 微分：$\\tfrac12 - \\tfrac12 e^{-s} L$，令它等於 0。',
                '$s^* = \\log L$，權重 $\\tfrac12 e^{-s^*} = 1/(2L)$。',
            ),
            'zh-CN': (
                '对 $s$ 微分：$\\tfrac12 - \\tfrac12 e^{-s} L$，令它等于 0。',
                '$s^* = \\log L$，权重 $\\tfrac12 e^{-s^*} = 1/(2L)$。',
            ),
        },
        "wrong": {"zh-TW": '對 s 微分、令導數為 0，再把 s* 代回權重 ½e^(−s)。', "zh-CN": '对 s 微分、令导数为 0，再把 s* 代回权重 ½e^(−s)。'},
        "mistakes": {
            'no_half': {"zh-TW": '權重前面還有 ½：是 ½e^(−s)。', "zh-CN": '权重前面还有 ½：是 ½e^(−s)。'},
            'sigma': {"zh-TW": 's 是 log σ²，不是 log σ。', "zh-CN": 's 是 log σ²，不是 log σ。'},
            'inverse': {"zh-TW": '權重是 1/(2L)，不是 L/2。', "zh-CN": '权重是 1/(2L)，不是 L/2。'},
        },
    },
    '10-4': {
        "hints": {
            'zh-TW': (
                '近端映射：$\\operatorname{prox}(v) = \\operatorname{sign}(v)\\max(|v| - \\lambda, 0)$。用 `torch.sign` 和 `torch.clamp` 逐元素寫。',
                '$|v| \\le \\lambda$ 的元素必須**恰好**是 0：`torch.clamp(v.abs() - lam, min=0)` 給的就是真正的 0。不要修改 `v` 本身（不要寫 `v -= ...`）。',
            ),
            'zh-CN': (
                '近端映射：$\\operatorname{prox}(v) = \\operatorname{sign}(v)\\max(|v| - \\lambda, 0)$。用 `torch.sign` 和 `torch.clamp` 逐元素写。',
                '$|v| \\le \\lambda$ 的元素必须**恰好**是 0：`torch.clamp(v.abs() - lam, min=0)` 给的就是真正的 0。不要修改 `v` 本身（不要写 `v -= ...`）。',
            ),
        },
    },
    '10-5': {
        "hints": {
            'zh-TW': (
                '`torch.bincount(labels, minlength=num_classes)` 數出每類的筆數 $n_c$；權重是 $n / (K\\,n_c)$。',
                '沒有任何樣本的類別 $n_c = 0$：權重定為 0（用 `torch.where`），不要讓它變成 inf。回傳 float64 的張量。',
            ),
            'zh-CN': (
                '`torch.bincount(labels, minlength=num_classes)` 数出每类的个数 $n_c$；权重是 $n / (K\\,n_c)$。',
                '没有任何样本的类别 $n_c = 0$：权重定为 0（用 `torch.where`），不要让它变成 inf。返回 float64 的张量。',
            ),
        },
    },
    '10-6': {
        "hints": {
            'zh-TW': (
                '每個任務一項 $\\tfrac12 e^{-s_i} L_i + \\tfrac12 s_i$；`reduction` 預設 `"mean"`（對任務平均），`"sum"` 是論文的總和，`"none"` 回傳每個任務一項。',
                '`log_vars` 就是 $s_i = \\log\\sigma_i^2$，所以 $\\log\\sigma_i = s_i/2$、$1/(2\\sigma_i^2) = \\tfrac12 e^{-s_i}$；用 `torch.exp(-log_vars)`，不需要先算出 $\\sigma$。',
            ),
            'zh-CN': (
                '每个任务一项 $\\tfrac12 e^{-s_i} L_i + \\tfrac12 s_i$；`reduction` 默认 `"mean"`（对任务平均），`"sum"` 是论文的总和，`"none"` 返回每个任务一项。',
                '`log_vars` 就是 $s_i = \\log\\sigma_i^2$，所以 $\\log\\sigma_i = s_i/2$、$1/(2\\sigma_i^2) = \\tfrac12 e^{-s_i}$；用 `torch.exp(-log_vars)`，不需要先算出 $\\sigma$。',
            ),
        },
    },
    '11-1': {
        "hints": {
            'zh-TW': (
                '平衡的意思是：正類的總權重等於負類的總權重。',
                '每個負樣本權重 1；`pos_weight` 是正樣本的權重，要讓 $10 \\cdot w = 990 \\cdot 1$。',
            ),
            'zh-CN': (
                '平衡的意思是：正类的总权重等于负类的总权重。',
                '每个负样本权重 1；`pos_weight` 是正样本的权重，要让 $10 \\cdot w = 990 \\cdot 1$。',
            ),
        },
        "wrong": {"zh-TW": 'pos_weight = 負樣本數 / 正樣本數。', "zh-CN": 'pos_weight = 负样本数 / 正样本数。'},
        "mistakes": {
            'inverse': {"zh-TW": '倒過來了：正類少，所以它的權重要大於 1。', "zh-CN": '倒过来了：正类少，所以它的权重要大于 1。'},
            'total': {"zh-TW": '分子是負樣本數，不是全部樣本數。', "zh-CN": '分子是负样本数，不是全部样本数。'},
            'share': {"zh-TW": '這是正類所佔的比例，不是權重。', "zh-CN": '这是正类所占的比例，不是权重。'},
        },
    },
    '11-2': {
        "hints": {
            'zh-TW': (
                '三元組損失是 $\\max(0,\\ d(a,p) - d(a,n) + m)$。',
                '$1.0 - 1.3 + 0.5$，再和 0 取較大者。',
            ),
            'zh-CN': (
                '三元组损失是 $\\max(0,\\ d(a,p) - d(a,n) + m)$。',
                '$1.0 - 1.3 + 0.5$，再和 0 取较大者。',
            ),
        },
        "wrong": {"zh-TW": '代入 max(0, d(a,p) − d(a,n) + m)。', "zh-CN": '代入 max(0, d(a,p) − d(a,n) + m)。'},
        "mistakes": {
            'zero': {"zh-TW": '負樣本比正樣本遠，但還沒遠到「多 m」：它在半難帶裡，損失不是 0。', "zh-CN": '负样本比正样本远，但还没远到“多 m”：它在半难带里，损失不是 0。'},
            'sign': {"zh-TW": 'd(a,p) 和 d(a,n) 的符號反了：正樣本的距離要被減小，所以是 +d(a,p)。', "zh-CN": 'd(a,p) 和 d(a,n) 的符号反了：正样本的距离要被减小，所以是 +d(a,p)。'},
            'no_margin': {"zh-TW": '少了邊界 m。', "zh-CN": '少了边界 m。'},
        },
    },
    '11-3': {
        "hints": {
            'zh-TW': (
                '半難負樣本：$d(a,p) < d(a,n) < d(a,p) + m$，這裡是 $0.6 < d < 1.1$。',
                '逐一檢查 0.4、0.9、1.3、0.7。',
            ),
            'zh-CN': (
                '半难负样本：$d(a,p) < d(a,n) < d(a,p) + m$，这里是 $0.6 < d < 1.1$。',
                '逐一检查 0.4、0.9、1.3、0.7。',
            ),
        },
        "wrong": {"zh-TW": '數落在 d(a,p) 與 d(a,p) + m 之間（兩端都不含）的距離。', "zh-CN": '数落在 d(a,p) 与 d(a,p) + m 之间（两端都不含）的距离。'},
        "mistakes": {
            'violating': {"zh-TW": '這是損失大於 0 的負樣本數，包含比正樣本還近的困難負樣本。', "zh-CN": '这是损失大于 0 的负样本数，包含比正样本还近的困难负样本。'},
            'hard': {"zh-TW": '這是比正樣本還近的（困難）負樣本數。', "zh-CN": '这是比正样本还近的（困难）负样本数。'},
        },
    },
    '11-4': {
        "hints": {
            'zh-TW': (
                '距離用 `torch.linalg.vector_norm(a - p + eps, dim=-1)`，`eps = 1e-6`，和 `F.pairwise_distance` 一樣。',
                '`torch.clamp(d_ap - d_an + margin, min=0)`，最後 `.mean()`。',
            ),
            'zh-CN': (
                '距离用 `torch.linalg.vector_norm(a - p + eps, dim=-1)`，`eps = 1e-6`，和 `F.pairwise_distance` 一样。',
                '`torch.clamp(d_ap - d_an + margin, min=0)`，最后 `.mean()`。',
            ),
        },
    },
    '11-5': {
        "hints": {
            'zh-TW': (
                '$d = \\lVert x_1 - x_2 + \\epsilon\\rVert_2$（`eps = 1e-6`）；相似的一對（label = 1）罰 $d^2$。',
                '不相似的一對罰 $\\max(0, m - d)^2$；兩項用 label 選，最後 `.mean()`。',
            ),
            'zh-CN': (
                '$d = \\lVert x_1 - x_2 + \\epsilon\\rVert_2$（`eps = 1e-6`）；相似的一对（label = 1）罚 $d^2$。',
                '不相似的一对罚 $\\max(0, m - d)^2$；两项用 label 选，最后 `.mean()`。',
            ),
        },
    },
}
